"""Benchmarks: ``python -m bench.<name> [--scale F]``; the last line printed is one JSON object."""
