"""EDI pages and API: documents received and sent, acknowledgements, partner identities."""
