"""Lot genealogy across tiers: traces up and down, quality incidents and their containment scope."""
