"""The PACT (WBCSD Pathfinder) HTTP API: token endpoint, footprints and events, v2 and v3."""
