"""My organisation: profile and sites, my customers and what I share with each, my people."""
