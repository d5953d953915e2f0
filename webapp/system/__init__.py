"""System diagnostics: background worker check and job progress."""
