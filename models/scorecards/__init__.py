"""Supplier scorecards, early warnings and the transparency dashboard's read models."""
