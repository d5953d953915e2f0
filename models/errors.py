"""Errors raised by domain operations on purpose; each channel (page, API, file, EDI) renders them.

Every message is a :class:`~models.i18n.Msg`, so it is English wherever it is logged and is
translated by the web layer when shown to a user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from models.i18n import N_, Msg


class InputFault(Msg):
    """A message about the input alone (a field that does not read, lots that do not add up
    to their line): the same input is refused again whatever is stored, so only corrected
    input can change it. Other messages may depend on stored records (an unknown order)."""

    @classmethod
    def of(cls, message: str) -> InputFault:
        """``message`` (a :class:`Msg` or plain text) marked as a fault of the input."""
        if isinstance(message, Msg):
            return cls(message.template, **message.params)
        return cls(str(message))


class DomainError(Exception):
    """Base of every error a domain operation raises on purpose."""

    code = "error"
    default_message = N_("The request could not be completed.")

    def __init__(self, message: str | None = None, **params: Any) -> None:
        self.message = Msg(message or self.default_message, **params)
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    """Input broke a rule; ``errors`` maps each place (a field, "row 3 / quantity") to messages."""

    code = "validation_error"
    default_message = N_("The input is not valid.")

    def __init__(
        self,
        errors: Mapping[str, Iterable[str]] | None = None,
        message: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message, **params)
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}

    @classmethod
    def on(cls, field: str, template: str, **params: Any) -> ValidationFailed:
        """One error on one field."""
        return cls({field: [Msg(template, **params)]})

    def under(self, prefix: str) -> ValidationFailed:
        """The same errors under ``prefix`` (``email`` -> ``admin.email``): an operation used
        for one part of a larger input names the field of that input, not its own."""
        return ValidationFailed({f"{prefix}.{k}": v for k, v in self.errors.items()})


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it does (both answer 404)."""

    code = "not_found"
    default_message = N_("Not found.")


class Forbidden(DomainError):
    """The actor can see the record but their role may not do this to it."""

    code = "forbidden"
    default_message = N_("Your role does not allow this action.")


class Conflict(DomainError):
    """The write clashes with the current state (a duplicate, a closed line, a used token)."""

    code = "conflict"
    default_message = N_("This clashes with the current state of the record.")
