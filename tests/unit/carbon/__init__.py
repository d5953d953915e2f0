"""Unit tests of the carbon footprint code (PACT exchange)."""
