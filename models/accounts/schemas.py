"""Input schema for a person's own details."""

from __future__ import annotations

from marshmallow import Schema, validate

from models.validation import Text


class UserNameSchema(Schema):
    """A person's name: spaces around it are dropped, and a blank one is refused."""

    name = Text(required=True, validate=validate.Length(max=120))
