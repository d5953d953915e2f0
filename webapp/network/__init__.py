"""The supplier network: directory, tier tree, profiles, invitations and sharing."""
