"""Unit tests of the statistical process control library (charts, rules, capability)."""
