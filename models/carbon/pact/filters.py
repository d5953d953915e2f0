"""PACT v3 footprint filters (ListFootprints query, RequestCreatedEvent criteria) and their test.

Semantics (spec v3, ListFootprints "Filtering"): values of one criterion are OR-ed, criteria are
AND-ed; identifier, geography, classification and status matches ignore case. Parameter names in a
query string are matched ignoring case too (the spec's own example writes `productid`, `validon`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marshmallow import fields, pre_load, validate

from models.carbon.pact.fields import (
    DateTimeString,
    PactSchema,
    TupleList,
    Urn,
    load_or_raise,
    non_empty_string,
)
from models.carbon.pact.footprint import Footprint
from models.carbon.pact.vocabulary import REGION_OF_SUBREGION, STATUSES, cpc_code
from models.errors import ValidationFailed
from models.i18n import N_
from models.validation import MAX_DB_INT, whole_number_up_to

_LISTS = {"productId": "product_ids", "companyId": "company_ids", "geography": "geographies"}
_LISTS |= {"classification": "classifications"}
_SINGLES = {"validOn": "valid_on", "validAfter": "valid_after", "validBefore": "valid_before"}
_SINGLES |= {"status": "status"}
FILTER_PARAMETERS = (*_LISTS, *_SINGLES)


@dataclass(frozen=True, kw_only=True)
class FootprintFilter:
    """Criteria a footprint must meet; an empty criterion does not restrict."""

    product_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    geographies: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None


@dataclass(frozen=True, kw_only=True)
class ListQuery:
    """A parsed ListFootprints query: the filter, `limit`, the host's `x-...-` extension
    parameters and the host's own parameters it declared (e.g. a pagination `offset`)."""

    filter: FootprintFilter
    limit: int | None = None
    extensions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _urns(data_key: str) -> TupleList:
    return TupleList(Urn(), validate=validate.Length(min=1), data_key=data_key)


class CriteriaSchema(PactSchema):
    product_ids = _urns("productId")
    company_ids = _urns("companyId")
    geographies = TupleList(
        non_empty_string(), validate=validate.Length(min=1), data_key="geography"
    )
    classifications = _urns("classification")
    valid_on = DateTimeString(data_key="validOn")
    valid_after = DateTimeString(data_key="validAfter")
    valid_before = DateTimeString(data_key="validBefore")
    status = fields.Str(validate=validate.OneOf(STATUSES))

    @pre_load
    def canonical_status(self, data: Mapping[str, Any], **kwargs: Any) -> Mapping[str, Any]:
        status = data.get("status")
        for name in STATUSES:
            if isinstance(status, str) and status.casefold() == name.casefold():
                return {**data, "status": name}
        return data


def parse_criteria(data: Mapping[str, Any]) -> FootprintFilter:
    """A filter from JSON criteria (the data of a v3 RequestCreatedEvent; `comment` is ignored)."""
    if isinstance(data, Mapping):
        data = {key: value for key, value in data.items() if key in FILTER_PARAMETERS}
    loaded = load_or_raise(CriteriaSchema(), data, N_("The filter criteria are not valid."))
    return FootprintFilter(**loaded)


def criteria_json(flt: FootprintFilter) -> dict[str, Any]:
    """The filter as JSON criteria (inverse of ``parse_criteria``)."""
    return {k: v for k, v in CriteriaSchema().dump(flt).items() if v != []}


def query_number(text: str) -> int | None:
    """A page size or offset as a query string gives it: ASCII digits, at most what a
    database offset holds; None otherwise."""
    return whole_number_up_to(text, MAX_DB_INT) if text.isascii() else None


def parse_list_query(
    args: Mapping[str, str | Sequence[str]] | Iterable[tuple[str, str]],
    *,
    extra: Iterable[str] = (),
) -> ListQuery:
    """Parse ListFootprints query parameters: a mapping of name to value(s), or (name, value) pairs.

    Guarantee: returns a ListQuery, or raises ValidationFailed keyed by parameter name for a bad
    value, a repeated single-valued parameter, or an unknown parameter (names in ``extra`` and
    names starting with ``x-`` are passed through untouched). A werkzeug MultiDict keeps one
    value per name as a mapping: pass ``request.args.items(multi=True)``.
    """
    extra = tuple(extra)
    canonical = {name.casefold(): name for name in (*FILTER_PARAMETERS, "limit", *extra)}
    values: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for raw_name, value in _pairs(args):
        name = canonical.get(raw_name.casefold(), raw_name)
        if name not in canonical.values() and not name.casefold().startswith("x-"):
            errors[raw_name] = [N_("Unknown parameter.")]
        values.setdefault(name, []).append(value)
    criteria: dict[str, Any] = {}
    for name, given in values.items():
        if name in _LISTS:
            criteria[name] = given
        elif name in (*_SINGLES, "limit"):
            if len(given) > 1:
                errors[name] = [N_("Give this parameter once.")]
            criteria[name] = given[0]
    given_limit = criteria.pop("limit", None)
    limit = None if given_limit is None else query_number(given_limit)
    if given_limit is not None and not limit:
        errors["limit"] = [N_("Must be a whole number, 1 or more.")]
    try:
        flt = parse_criteria(criteria)
    except ValidationFailed as failed:
        for name, messages in failed.errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationFailed(errors, N_("The footprint query is not valid."))
    return ListQuery(
        filter=flt,
        limit=limit,
        extensions={n: tuple(v) for n, v in values.items() if n.casefold().startswith("x-")},
        extra={n: tuple(v) for n, v in values.items() if n in extra},
    )


def _pairs(args: Any) -> Iterable[tuple[str, str]]:
    if isinstance(args, Mapping):
        for name, value in args.items():
            yield from ((name, v) for v in ([value] if isinstance(value, str) else value))
    else:
        yield from args


def validity_period(footprint: Footprint) -> tuple[datetime, datetime]:
    """The period the footprint is valid in: its validity period, or by default the 3 years from
    the end of its reference period (spec v2 and v3, "validity period")."""
    reference_end = footprint.pcf.reference_period_end
    start = footprint.validity_period_start or reference_end
    end = footprint.validity_period_end or _plus_years(reference_end, 3)
    return start, end


def _plus_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def matches(flt: FootprintFilter, footprint: Footprint) -> bool:
    """Whether ``footprint`` meets every criterion of ``flt``.

    A geography matches the footprint's own geography, the country of its subdivision, and the
    UN region of its sub-region (a country is not mapped to its region). Validity: validOn lies
    within the validity period (both ends included), validAfter is before its start, validBefore
    after its end.
    """
    start, end = validity_period(footprint)
    return (
        _any_equal(flt.product_ids, footprint.product_ids)
        and _any_equal(flt.company_ids, footprint.company_ids)
        and _any_equal(flt.geographies, _geographies(footprint))
        and _any_equal(_cpc_aware(flt.classifications), _classifications(footprint))
        and (flt.valid_on is None or start <= flt.valid_on <= end)
        and (flt.valid_after is None or start > flt.valid_after)
        and (flt.valid_before is None or end < flt.valid_before)
        and (flt.status is None or flt.status.casefold() == footprint.status.casefold())
    )


def _any_equal(wanted: Iterable[str], present: Iterable[str]) -> bool:
    wanted = {w.casefold() for w in wanted}
    return not wanted or bool(wanted & {p.casefold() for p in present})


def _geographies(footprint: Footprint) -> set[str]:
    pcf = footprint.pcf
    found = {g for g in (pcf.geography_country, pcf.geography_country_subdivision) if g}
    if pcf.geography_country_subdivision:
        found.add(pcf.geography_country_subdivision.split("-")[0])
    if region := pcf.geography_region_or_subregion:
        found |= {region, REGION_OF_SUBREGION.get(region, region)}
    return found


def _cpc_aware(classifications: Iterable[str]) -> set[str]:
    keys = set(classifications)
    keys |= {f"cpc {code}" for c in classifications if (code := cpc_code(c))}
    return keys


def _classifications(footprint: Footprint) -> set[str]:
    keys = _cpc_aware(footprint.product_classifications)
    if footprint.product_category_cpc:
        keys.add(f"cpc {footprint.product_category_cpc}")
    return keys
