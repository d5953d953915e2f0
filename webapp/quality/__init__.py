"""Supplier quality: characteristics, measurements, control charts, PPM and 8D."""
