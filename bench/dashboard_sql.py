"""The scorecard KPIs as bare PostgreSQL, hand-written: the baseline ``bench.dashboard`` times
the product's job against. Same definitions (see models/scorecards), default rules, results
fetched; nothing written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import psycopg

from models.clock import local_day, local_zone
from models.scorecards.periods import Period, Window, months_due

PROMISED = (
    "CASE WHEN l.confirmation IN ('confirmed', 'proposed') AND l.confirmed_date IS NOT NULL "
    "THEN l.confirmed_date ELSE l.due_date END"
)
AGREED = (
    "CASE WHEN l.confirmation IN ('confirmed', 'proposed') AND l.confirmed_quantity IS NOT NULL "
    "THEN l.confirmed_quantity ELSE l.quantity END"
)


def _open(current: bool) -> tuple[str, str]:
    if current:
        return "", "l.status = 'open'"
    return (
        "JOIN purchase_orders po ON po.id = l.order_id",
        "po.order_date <= %(last_day)s AND l.status <> 'cancelled' "
        "AND (l.closed_at IS NULL OR l.closed_at > %(cutoff)s)",
    )


def queries(window: Window) -> dict[str, str]:
    """The SQL of every KPI for one period (parameters: start, day_after, last_day, cutoff)."""
    join, where = _open(window.is_current)
    sql = {
        "coverage": f"""
            WITH recent AS (
              SELECT line_id, max(reported_at) AS last_at FROM progress_reports
              WHERE reported_at > %(cutoff)s - interval '48 hours' AND reported_at <= %(cutoff)s
              GROUP BY line_id)
            SELECT l.supplier_org_id, 100.0 * count(r.line_id) / count(*)
            FROM order_lines l {join} LEFT JOIN recent r ON r.line_id = l.id
            WHERE {where} GROUP BY l.supplier_org_id""",
        "otd": f"""
            SELECT d.supplier_org_id,
                   100.0 * count(*) FILTER (WHERE d.received_on - {PROMISED} BETWEEN -3 AND 0)
                   / count(*)
            FROM (SELECT DISTINCT order_line_id, supplier_org_id, received_on FROM receipts
                  WHERE received_on >= %(start)s AND received_on < %(day_after)s) d
            JOIN order_lines l ON l.id = d.order_line_id GROUP BY d.supplier_org_id""",
        "otif": f"""
            WITH due AS (
              SELECT l.id, l.supplier_org_id, {PROMISED} AS promised, {AGREED} AS agreed
              FROM order_lines l
              WHERE {PROMISED} >= %(start)s AND {PROMISED} < %(day_after)s
                AND l.status <> 'cancelled'),
            acc AS (
              SELECT r.order_line_id, sum(r.received_quantity - r.rejected_quantity) AS q
              FROM receipts r JOIN due ON due.id = r.order_line_id
              WHERE r.received_on - due.promised BETWEEN -3 AND 0
                AND r.received_on <= %(last_day)s GROUP BY r.order_line_id)
            SELECT supplier_org_id, 100.0 * count(*) FILTER (WHERE coalesce(q, 0) >= agreed)
                   / count(*)
            FROM due LEFT JOIN acc ON acc.order_line_id = due.id
            WHERE coalesce(q, 0) >= agreed OR %(last_day)s - promised > 0
            GROUP BY supplier_org_id""",
        "ppm": """
            SELECT supplier_org_id, 1e6 * sum(rejected_quantity) / sum(received_quantity)
            FROM receipts WHERE received_on >= %(start)s AND received_on < %(day_after)s
            GROUP BY supplier_org_id HAVING sum(received_quantity) > 0""",
        "confirm_hours": """
            WITH new AS (
              SELECT l.id, l.supplier_org_id, l.created_at, l.confirmed_at, po.order_date
              FROM order_lines l JOIN purchase_orders po ON po.id = l.order_id
              WHERE po.order_date >= %(start)s AND po.order_date < %(day_after)s),
            first AS (
              SELECT line_id, min(at) AS at FROM line_confirmations
              WHERE line_id IN (SELECT id FROM new) AND action IN ('confirm', 'propose')
                AND at <= %(cutoff)s GROUP BY line_id),
            answered AS (
              SELECT new.*, coalesce(first.at, CASE WHEN new.confirmed_at <= %(cutoff)s
                                                    THEN new.confirmed_at END) AS at
              FROM new LEFT JOIN first ON first.line_id = new.id)
            SELECT supplier_org_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(0,
                extract(epoch FROM coalesce(at, %(cutoff)s)
                  - CASE WHEN coalesce(at, %(cutoff)s) < created_at
                         THEN order_date::timestamptz ELSE created_at END) / 3600))
            FROM answered GROUP BY supplier_org_id""",
        "open_incidents": (
            "SELECT supplier_org_id, count(*) FROM incidents WHERE state <> 'closed' "
            "GROUP BY supplier_org_id"
            if window.is_current
            else "SELECT supplier_org_id, count(*) FROM incidents WHERE created_at <= %(cutoff)s "
            "AND (closed_at IS NULL OR closed_at > %(cutoff)s) GROUP BY supplier_org_id"
        ),
        "overdue_8d": """
            SELECT c.supplier_org_id, count(*) FROM eightd_steps s
            JOIN eightd_cases c ON c.id = s.case_id
            WHERE c.opened_at <= %(cutoff)s AND (c.closed_at IS NULL OR c.closed_at > %(cutoff)s)
              AND s.due_at < %(cutoff)s
              AND (s.submitted_at IS NULL OR s.submitted_at > %(cutoff)s OR s.status = 'returned')
            GROUP BY c.supplier_org_id""",
        "eightd_hours": """
            SELECT c.supplier_org_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY
                extract(epoch FROM coalesce(f.at, %(cutoff)s) - c.opened_at) / 3600)
            FROM eightd_cases c LEFT JOIN (
              SELECT case_id, min(submitted_at) AS at FROM eightd_steps
              WHERE submitted_at <= %(cutoff)s GROUP BY case_id) f ON f.case_id = c.id
            WHERE c.opened_at >= %(start_at)s AND c.opened_at < %(cutoff)s
            GROUP BY c.supplier_org_id""",
        "completeness_quality": """
            SELECT s.supplier_org_id, 100.0 * count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM quality_measurements m WHERE m.characteristic_id = c.id
                     AND m.measured_at >= %(start_at)s AND m.measured_at < %(cutoff)s)) / count(*)
            FROM (SELECT DISTINCT n.supplier_org_id, l.part_id FROM ship_notices n
                  JOIN ship_notice_lines nl ON nl.notice_id = n.id
                  JOIN order_lines l ON l.id = nl.order_line_id
                  WHERE n.ship_date >= %(start)s AND n.ship_date < %(day_after)s) s
            JOIN quality_characteristics c ON c.part_id = s.part_id
              AND c.supplier_org_id = s.supplier_org_id AND c.active
            GROUP BY s.supplier_org_id""",
        "footprints": """
            WITH latest AS (
              SELECT DISTINCT ON (org_id, part_id) org_id, pcf_kg, mass_kg, primary_data_share
              FROM product_footprints WHERE status = 'Active' AND year <= %(year)s
              ORDER BY org_id, part_id, year DESC, (kind = 'declared') DESC, id DESC),
            summed AS (
              SELECT org_id, sum(pcf_kg) FILTER (WHERE mass_kg > 0)
                             / nullif(sum(mass_kg) FILTER (WHERE mass_kg > 0), 0) AS intensity,
                     sum(pcf_kg * coalesce(primary_data_share, 0)) / nullif(sum(pcf_kg), 0) AS share
              FROM latest GROUP BY org_id)
            SELECT org_id, intensity, share,
                   100 * (1 - percent_rank() OVER (PARTITION BY intensity IS NULL
                                                   ORDER BY intensity)) FROM summed""",
    }
    if window.is_current:
        sql["cpk"] = """
            SELECT c.supplier_org_id, 100.0 * count(*) FILTER (WHERE s.status = 'capable')
                   / count(*)
            FROM quality_characteristics c JOIN quality_statistics s
              ON s.characteristic_id = c.id
            WHERE c.active AND c.classification = 'critical' AND s.status IS NOT NULL
            GROUP BY c.supplier_org_id"""
    months = months_due(window)
    if months:
        sql["completeness_carbon"] = """
            SELECT s.org_id, 100.0 * count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM activity_records a WHERE a.site_id = s.id
                     AND a.period_start <= m AND a.period_end >= m
                     AND NOT EXISTS (SELECT 1 FROM activity_records b
                                     WHERE b.supersedes_id = a.id))) / count(*)
            FROM sites s CROSS JOIN unnest(%(months)s::date[]) AS m
            WHERE s.org_id IN (SELECT supplier_id FROM supplier_links WHERE status = 'active')
            GROUP BY s.org_id"""
    return sql


LINE_RISKS = f"""
    WITH state AS (
      SELECT l.id, {PROMISED} AS promised, {AGREED} AS agreed, l.created_at,
             a.reported_at AS t1, a.quantity_done AS q1, a.expected_finish,
             b.reported_at AS t0, b.quantity_done AS q0
      FROM order_lines l
      LEFT JOIN LATERAL (
        SELECT pr.reported_at, pr.quantity_done, pr.expected_finish FROM progress_reports pr
        WHERE pr.line_id = l.id
          AND NOT EXISTS (SELECT 1 FROM progress_reports c WHERE c.supersedes_id = pr.id)
        ORDER BY pr.reported_at DESC LIMIT 1) a ON true
      LEFT JOIN LATERAL (
        SELECT pr.reported_at, pr.quantity_done FROM progress_reports pr
        WHERE pr.line_id = l.id AND pr.reported_at > %(now)s - interval '14 days'
          AND pr.reported_at <= %(now)s
        ORDER BY pr.reported_at LIMIT 1) b ON true
      WHERE l.status = 'open')
    SELECT id,
      expected_finish > promised AS expected_late,
      %(now)s - coalesce(t1, created_at) > interval '3 days' AND promised - %(today)s <= 14
        AND coalesce(q1, 0) < agreed AS stalled,
      t1 > t0 AND q1 > q0 AND agreed > q1
        AND extract(epoch FROM t1 AT TIME ZONE %(zone)s) / 86400 + (agreed - q1)
            * extract(epoch FROM t1 - t0) / 86400 / (q1 - q0)
            > (promised - date '1970-01-01') + 1 AS projected_late,
      %(today)s - promised > 0 AS overdue
    FROM state"""


def parameters(window: Window) -> dict[str, Any]:
    return {
        "start": window.period.start,
        "start_at": window.start_at,
        "day_after": window.day_after,
        "last_day": window.last_day,
        "cutoff": window.cutoff,
        "year": window.period.start.year,
        "months": months_due(window),
    }


def bare_kpis(
    conn: psycopg.Connection, periods: Iterable[Period], now: datetime
) -> dict[tuple[str, str, date], dict[int, Any]]:
    """Every KPI of every supplier for each period, and the line risks now; fetched."""
    found: dict[tuple[str, str, date], dict[int, Any]] = {}
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute("SET jit = off")  # as the product's job (see models.scorecards.sql.tune)
    conn.execute("SET work_mem = '64MB'")
    for period in periods:
        window = Window(period, now)
        for kpi, sql in queries(window).items():
            rows = conn.execute(sql, parameters(window)).fetchall()
            found[(kpi, period.kind, period.start)] = {row[0]: row[1] for row in rows}
    # Days are the product's local ones (models.clock): a finish at 20:00 UTC is tomorrow there.
    local = {"today": local_day(now), "zone": local_zone().key}
    rows = conn.execute(LINE_RISKS, {"now": now, **local}).fetchall()
    found[("risks", "now", now.date())] = {row[0]: row[1:] for row in rows}
    return found
