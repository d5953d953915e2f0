"""Supplier transparency dashboards: pages and API over models.scorecards."""
