"""Tierlight web app: Flask app factory, feature blueprints, pages and the /api/v1 API."""
