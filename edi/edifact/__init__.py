"""EDIFACT envelope, mappings and CONTRL."""
