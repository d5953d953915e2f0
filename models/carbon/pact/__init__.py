"""PACT (WBCSD Pathfinder) ProductFootprint exchange: model, v2/v3 JSON, filters, events, errors.

Pure code: no database, no HTTP framework. The names below are the public API; see each module for
what it guarantees.
"""

from models.carbon.pact.api_errors import (
    ERRORS_V2,
    ERRORS_V3,
    PactError,
    error_for,
    error_response,
    parse_error_body,
)
from models.carbon.pact.convert import parse_footprint, parse_v2, parse_v3, to_v2, to_v3
from models.carbon.pact.events import (
    CONTENT_TYPE,
    PUBLISHED,
    REQUEST_CREATED,
    REQUEST_FULFILLED,
    REQUEST_REJECTED,
    PactEvent,
    event_body,
    new_event,
    parse_event,
)
from models.carbon.pact.filters import (
    FootprintFilter,
    ListQuery,
    criteria_json,
    matches,
    parse_criteria,
    parse_list_query,
    query_number,
    validity_period,
)
from models.carbon.pact.footprint import (
    PER_UNIT_FIELDS,
    CarbonFootprint,
    DataQuality,
    EmissionFactorSource,
    Extension,
    Footprint,
    ProductOrSectorSpecificRule,
    Verification,
)
from models.carbon.pact.pagination import next_link, next_url, page_url, parse_links

__all__ = [
    "CONTENT_TYPE",
    "ERRORS_V2",
    "ERRORS_V3",
    "PER_UNIT_FIELDS",
    "PUBLISHED",
    "REQUEST_CREATED",
    "REQUEST_FULFILLED",
    "REQUEST_REJECTED",
    "CarbonFootprint",
    "DataQuality",
    "EmissionFactorSource",
    "Extension",
    "Footprint",
    "FootprintFilter",
    "ListQuery",
    "PactError",
    "PactEvent",
    "ProductOrSectorSpecificRule",
    "Verification",
    "criteria_json",
    "error_for",
    "error_response",
    "event_body",
    "matches",
    "new_event",
    "next_link",
    "next_url",
    "page_url",
    "parse_criteria",
    "parse_error_body",
    "parse_event",
    "parse_footprint",
    "parse_links",
    "parse_list_query",
    "parse_v2",
    "parse_v3",
    "query_number",
    "to_v2",
    "to_v3",
    "validity_period",
]
