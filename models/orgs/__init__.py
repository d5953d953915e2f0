"""Organisations, their sites, the buyer-supplier links between them and the sharing agreements."""

# Imported with the package so that every session that can change a supplier link rebuilds the
# network paths derived from them (the listener is registered on import).
from models.orgs import paths as _paths  # noqa: F401
