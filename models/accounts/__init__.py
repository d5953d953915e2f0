"""People: users, their memberships and roles, passwords, API tokens and password resets."""
