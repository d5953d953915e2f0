"""Traceability: lot search, genealogy up and down, bulk look-up, quality incidents."""
