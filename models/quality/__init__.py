"""Supplier quality: the SPC library (charts, rules, capability) and characteristics, inspections,
statistics, alerts, PPM and 8D cases."""
