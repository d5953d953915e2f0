"""The query of a ListFootprints request, v2 and v3, as the host answers it.

v3 filter values that identify something (productId, companyId, classification, geography,
status) are matched as given, not validated: a value no footprint has simply matches nothing,
which is what the PACT conformance tests expect (a random companyId among others, a bogus
status: 200 with what matches). Everything else — dates, ``limit``, ``offset``, unknown
parameters — is validated as the specification's query syntax demands. v2's OData ``$filter``
is not implemented.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from models.carbon.pact import FootprintFilter, parse_list_query, query_number
from models.errors import DomainError, ValidationFailed
from models.i18n import N_

_MATCHED_AS_GIVEN = {
    "productid": "product_ids",
    "companyid": "company_ids",
    "classification": "classifications",
    "geography": "geographies",
}


class NotImplementedHere(DomainError):
    """A PACT feature this host does not offer (PACT NotImplemented)."""

    code = "NotImplemented"
    default_message = N_("This host does not implement the $filter parameter; use PACT v3 filters.")


@dataclass(frozen=True)
class FootprintQuery:
    filter: FootprintFilter | None
    limit: int | None
    offset: int


def _whole(value: str, name: str) -> int:
    number = query_number(value)
    if number is None:
        raise ValidationFailed.on(name, N_("Must be a whole number, 0 or more."))
    return number


def read_query(pairs: Iterable[tuple[str, str]], version: int) -> FootprintQuery:
    """The filter, page size and offset of a ListFootprints query string."""
    pairs = list(pairs)
    if version == 2:
        names = {name.casefold(): value for name, value in pairs}
        if "$filter" in names:
            raise NotImplementedHere()
        limit = names.get("limit")
        return FootprintQuery(
            None,
            None if limit is None else parse_list_query([("limit", limit)]).limit,
            _whole(names.get("offset", "0"), "offset"),
        )
    given: dict[str, list[str]] = {}
    statuses: list[str] = []
    strict = []
    for name, value in pairs:
        key = name.casefold()
        if key in _MATCHED_AS_GIVEN:
            given.setdefault(_MATCHED_AS_GIVEN[key], []).append(value)
        elif key == "status":
            statuses.append(value)
        else:
            strict.append((name, value))
    if len(statuses) > 1:
        raise ValidationFailed.on("status", N_("Give this parameter once."))
    query = parse_list_query(strict, extra=["offset"])
    offsets = query.extra.get("offset", ("0",))
    if len(offsets) > 1:
        raise ValidationFailed.on("offset", N_("Give this parameter once."))
    flt = replace(
        query.filter,
        **{field: tuple(values) for field, values in given.items()},
        status=statuses[0] if statuses else None,
    )
    return FootprintQuery(flt, query.limit, _whole(offsets[0], "offset"))
