"""Carbon pages and API: activity data, footprints, factors, reports, PACT credentials."""
