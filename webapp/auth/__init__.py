"""Signing in and out, password reset, API tokens, and who the current user is."""
