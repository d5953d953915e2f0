"""Accepting an invitation: a new supplier registers, an existing one accepts, a colleague joins."""
