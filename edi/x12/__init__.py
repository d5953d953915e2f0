"""X12 envelope, mappings and acknowledgements."""
