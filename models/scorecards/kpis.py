"""The scorecard's KPIs: what each measures, its data category, unit, scoring and default weight.

Every KPI is stored as four numbers per supplier and period: its value (``NULL`` = no data),
the numerator and denominator behind it (for ratios, and to sum across suppliers), and a score
from 0 to 100 that feeds the transparency index. Scores are linear between a "worst" value
(score 0) and a "best" value (score 100) and clamped outside them, unless noted.

Default weights (they sum to 100; an anchor may change them on the weights page):

============================  ==========  ======  ==================================================
KPI                           category    weight  scored as
============================  ==========  ======  ==================================================
coverage                      progress    15      share of open lines reported within the window
otd                           progress    15      share of deliveries inside the date window
otif                          progress    10      share of lines delivered on time and in full
confirm_hours                 progress    5       24 h or less = 100, 168 h or more = 0
completeness_quality          quality     10      share of required inspection data present
ppm                           quality     10      0 ppm = 100, 10,000 ppm or more = 0
open_incidents                quality     5       none = 100, 4 or more = 0
overdue_8d                    quality     5       none = 100, 5 or more = 0
cpk                           quality     10      capable = 1, watch = 0.5, action = 0 (share)
eightd_hours                  quality     5       24 h or less = 100, 168 h or more = 0
completeness_carbon           carbon      5       share of required monthly energy data present
carbon_intensity              carbon      0       rank among all suppliers (lowest = 100)
primary_share                 carbon      5       the primary-data share itself (0-100 %)
============================  ==========  ======  ==================================================

Carbon intensity depends on what a supplier makes, so by default it is shown but not weighted.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.i18n import N_


@dataclass(frozen=True)
class Kpi:
    code: str
    category: str
    label: str
    unit: str
    higher_is_better: bool
    weight: int
    #: (worst, best) of the linear score, or None where the score is computed otherwise
    scale: tuple[float, float] | None
    description: str
    #: How suppliers add up on a dashboard tile: ``ratio`` (sum of numerators over sum of
    #: denominators, times ``total_scale``), ``sum`` (counts) or ``mean`` (of the suppliers')
    #: values, for medians).
    total: str = "ratio"
    total_scale: float = 100.0


KPIS: tuple[Kpi, ...] = (
    Kpi("coverage", "progress", N_("Reporting coverage"), "%", True, 15, (0, 100),
        N_("Share of open order lines with a progress report in the last %(hours)s hours.")),
    Kpi("otd", "progress", N_("On-time delivery"), "%", True, 15, (0, 100),
        N_("Share of deliveries received from %(early)s days early to %(late)s days late.")),
    Kpi("otif", "progress", N_("On time in full"), "%", True, 10, (0, 100),
        N_("Share of lines due in the period delivered complete within the date window.")),
    Kpi("confirm_hours", "progress", N_("Hours to confirm an order"), "h", False, 5, (168, 24),
        N_("Median hours from a new order line to the supplier's confirmation or proposal."),
        "mean"),
    Kpi("completeness_quality", "quality", N_("Quality data completeness"), "%", True, 10,
        (0, 100), N_("Share of characteristics of shipped parts with measurements in the period.")),
    Kpi("ppm", "quality", N_("PPM"), "ppm", False, 10, (10000, 0),
        N_("Rejected pieces per million received."), "ratio", 1_000_000.0),
    Kpi("open_incidents", "quality", N_("Open incidents"), "", False, 5, (4, 0),
        N_("Quality incidents on the supplier's lots that are not closed."), "sum"),
    Kpi("overdue_8d", "quality", N_("Overdue 8D steps"), "", False, 5, (5, 0),
        N_("8D steps past their deadline without an answer."), "sum"),
    Kpi("cpk", "quality", N_("Capable critical characteristics"), "%", True, 10, None,
        N_("Share of critical characteristics with a capable Cpk (watch counts half).")),
    Kpi("eightd_hours", "quality", N_("Hours to first 8D answer"), "h", False, 5, (168, 24),
        N_("Median hours from opening an 8D case to the supplier's first submitted step."),
        "mean"),
    Kpi("completeness_carbon", "carbon", N_("Carbon data completeness"), "%", True, 5, (0, 100),
        N_("Share of sites and months whose energy data was due in the period and is present.")),
    Kpi("carbon_intensity", "carbon", N_("Carbon intensity"), "kgCO2e/kg", False, 0, None,
        N_("Cradle-to-gate kgCO2e per kg of the supplier's parts (latest footprints)."),
        "ratio", 1.0),
    Kpi("primary_share", "carbon", N_("Primary-data share"), "%", True, 5, (0, 100),
        N_("Share of the footprints' emissions computed from primary data."), "ratio", 1.0),
)  # fmt: skip

KPI_BY_CODE = {kpi.code: kpi for kpi in KPIS}

#: What the numerator and denominator of a KPI count, for "based on" texts: ``share`` (n of m
#: records), ``records`` (the denominator counts records), ``pieces`` (rejected of received).
BASIS = {
    "coverage": "share", "otd": "share", "otif": "share", "completeness_quality": "share",
    "completeness_carbon": "share", "cpk": "share", "confirm_hours": "records",
    "eightd_hours": "records", "ppm": "pieces",
}  # fmt: skip
KPI_CODES = tuple(KPI_BY_CODE)
KPI_CATEGORIES = ("progress", "quality", "carbon")
DEFAULT_WEIGHTS = {kpi.code: kpi.weight for kpi in KPIS}

#: Index thresholds for the status lights (green at or above, amber at or above, else red).
GREEN_FROM, AMBER_FROM = 80.0, 60.0
STATUS_LABELS = {
    "green": N_("Good"),
    "amber": N_("Watch"),
    "red": N_("At risk"),
    "none": N_("No data"),
}


def status_of(index: float | None, at_risk: bool = False) -> str:
    """green / amber / red / none for an index; a supplier at risk is never green."""
    if index is None:
        return "red" if at_risk else "none"
    if index >= GREEN_FROM and not at_risk:
        return "green"
    return "amber" if index >= AMBER_FROM else "red"


def kpis_of(category: str | None) -> tuple[Kpi, ...]:
    return KPIS if not category else tuple(k for k in KPIS if k.category == category)
