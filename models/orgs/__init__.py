"""Organisations, their sites, the buyer-supplier links between them and the sharing agreements."""
