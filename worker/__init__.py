"""Tierlight's Celery worker: one app, thin tasks that call domain operations, a beat schedule."""
