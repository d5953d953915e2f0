"""The audit trail of an organisation: who wrote what, when, through which channel."""
