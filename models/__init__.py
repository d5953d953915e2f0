"""Tierlight's domain: entities, the session, schemas and the operations every channel shares."""
