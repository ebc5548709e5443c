"""Average execution time, computed from the status history.

Definitions (docs/adr/0021-time-in-status-and-stages.md): a *visit* to a status starts at
the history row that entered it and ends at the next history row of the same order. Only
closed visits are averaged; an order still in a status counts as "open" with its current age.
The *execution time* of an order is the sum of its IN_PROGRESS visits, for orders that reached
COMPLETED. Date filters are calendar days in America/Sao_Paulo, as in the marts.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

_VISITS = """
WITH visits AS (
    SELECT h.service_order_id,
           o.unit_id,
           h.to_status AS status,
           h.changed_at AS entered_at,
           lead(h.changed_at) OVER (
               PARTITION BY h.service_order_id ORDER BY h.changed_at, h.id
           ) AS left_at
    FROM service_order_status_history h
    JOIN service_orders o ON o.id = h.service_order_id
    WHERE (CAST(:unit_id AS uuid) IS NULL OR o.unit_id = CAST(:unit_id AS uuid))
)
"""

# Constant SQL fragments joined at import time; every value is a bound parameter.
_PER_STATUS = (
    _VISITS
    + """
SELECT status,
       count(*) FILTER (WHERE left_at IS NOT NULL) AS visits,
       avg(extract(epoch FROM left_at - entered_at) / 60)
           FILTER (WHERE left_at IS NOT NULL) AS avg_minutes,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at) / 60)
           FILTER (WHERE left_at IS NOT NULL) AS median_minutes,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at) / 60)
           FILTER (WHERE left_at IS NOT NULL) AS p90_minutes,
       count(*) FILTER (WHERE left_at IS NULL) AS open_visits,
       avg(extract(epoch FROM now() - entered_at) / 60)
           FILTER (WHERE left_at IS NULL) AS open_avg_age_minutes
FROM visits
WHERE status NOT IN ('DELIVERED', 'CANCELLED')
  AND (CAST(:date_from AS date) IS NULL
       OR (coalesce(left_at, now()) AT TIME ZONE 'America/Sao_Paulo')::date
          >= CAST(:date_from AS date))
  AND (CAST(:date_to AS date) IS NULL
       OR (coalesce(left_at, now()) AT TIME ZONE 'America/Sao_Paulo')::date
          <= CAST(:date_to AS date))
GROUP BY status
"""
)

_PER_SERVICE = (
    _VISITS
    + """,
execution AS (
    SELECT service_order_id,
           sum(extract(epoch FROM left_at - entered_at) / 60) AS minutes,
           max(left_at) AS finished_at
    FROM visits
    WHERE status = 'IN_PROGRESS' AND left_at IS NOT NULL
      AND service_order_id IN (
          SELECT service_order_id FROM service_order_status_history
          WHERE to_status = 'COMPLETED'
      )
    GROUP BY service_order_id
)
SELECT s.id AS service_id,
       s.name,
       s.estimated_minutes,
       count(*) AS orders,
       avg(e.minutes) AS avg_minutes
FROM execution e
JOIN service_order_services os ON os.service_order_id = e.service_order_id
JOIN services s ON s.id = os.service_id
WHERE (CAST(:date_from AS date) IS NULL
       OR (e.finished_at AT TIME ZONE 'America/Sao_Paulo')::date >= CAST(:date_from AS date))
  AND (CAST(:date_to AS date) IS NULL
       OR (e.finished_at AT TIME ZONE 'America/Sao_Paulo')::date <= CAST(:date_to AS date))
GROUP BY s.id, s.name, s.estimated_minutes
ORDER BY s.name
"""
)

STATUS_ORDER = ["RECEIVED", "IN_DIAGNOSIS", "AWAITING_APPROVAL", "IN_PROGRESS", "COMPLETED"]


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _figures(row: Any) -> dict[str, Any]:
    if row is None:
        return {
            "visits": 0,
            "avg_minutes": None,
            "median_minutes": None,
            "p90_minutes": None,
            "open_visits": 0,
            "open_avg_age_minutes": None,
        }
    return {
        "visits": row.visits,
        "avg_minutes": _round(row.avg_minutes),
        "median_minutes": _round(row.median_minutes),
        "p90_minutes": _round(row.p90_minutes),
        "open_visits": row.open_visits,
        "open_avg_age_minutes": _round(row.open_avg_age_minutes),
    }


def execution_time(
    s: Session, *, unit_id: uuid.UUID | None, date_from: date | None, date_to: date | None
) -> dict[str, Any]:
    params = {
        "unit_id": str(unit_id) if unit_id else None,
        "date_from": date_from,
        "date_to": date_to,
    }
    by_status = {row.status: row for row in s.execute(text(_PER_STATUS), params)}
    statuses = [{"status": status, **_figures(by_status.get(status))} for status in STATUS_ORDER]
    services = [
        {
            "service_id": row.service_id,
            "name": row.name,
            "estimated_minutes": row.estimated_minutes,
            "orders": row.orders,
            "avg_minutes": _round(row.avg_minutes),
        }
        for row in s.execute(text(_PER_SERVICE), params)
    ]
    return {"by_status": statuses, "by_service": services}
