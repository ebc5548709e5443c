"""`make dashboard`: a self-contained, offline HTML dashboard built from the marts.

No CDN, no library: the marts' numbers are embedded as JSON and a small inline script draws
SVG charts (every drawn mark carries its number in data-* attributes, which the tests read
back from the rendered DOM). Usage: ``python scripts/dashboard.py DATABASE_URL [OUT.html]``.
"""

from __future__ import annotations

import html
import json
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "target" / "dashboard" / "index.html"
VOLUME_DAYS = 60
STATUS_DAYS = 30
STAGES = ["Recebida", "Diagnóstico", "Aguardando aprovação", "Execução", "Finalização"]


def _num(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def collect(url: str, schema: str = "analytics") -> dict:
    """What the dashboard shows, read from the marts only."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT max(day) FROM {schema}.fct_daily_order_volume")
        last_day = cur.fetchone()[0]
        if last_day is None:
            raise SystemExit("the marts are empty: run `make demo` (or dbt build) first")
        first_day = last_day - timedelta(days=VOLUME_DAYS - 1)
        cur.execute(f"SELECT DISTINCT unit_code FROM {schema}.fct_daily_order_volume ORDER BY 1")
        units = [u for (u,) in cur.fetchall()]
        cur.execute(
            f"""SELECT unit_code, day, orders_opened, orders_completed, orders_delivered,
                       orders_cancelled
                FROM {schema}.fct_daily_order_volume WHERE day >= %s ORDER BY day""",
            (first_day,),
        )
        rows = {(u, d): r for u, d, *r in cur.fetchall()}
        days = [first_day + timedelta(days=i) for i in range(VOLUME_DAYS)]
        volume = {u: [list(rows.get((u, d), (0, 0, 0, 0))) for d in days] for u in units}
        cur.execute(
            f"""SELECT unit_code, stage, sum(visits),
                       round(sum(avg_minutes * visits) / sum(visits), 2),
                       round(max(p90_minutes), 2)
                FROM {schema}.fct_status_time_daily WHERE day > %s
                GROUP BY unit_code, stage""",
            (last_day - timedelta(days=STATUS_DAYS),),
        )
        status_time = {
            f"{u}|{s}": {"visits": int(v), "avg_minutes": _num(a), "worst_p90": _num(p)}
            for u, s, v, a, p in cur.fetchall()
        }
        cur.execute(
            f"""SELECT unit_code, stage, open_orders, avg_age_minutes, max_age_minutes, as_of
                FROM {schema}.fct_open_status_age ORDER BY unit_code, status"""
        )
        open_rows = cur.fetchall()
    return {
        "last_day": last_day.isoformat(),
        "days": [d.isoformat() for d in days],
        "units": units,
        "stages": STAGES,
        "volume": volume,  # unit -> per day [opened, completed, delivered, cancelled]
        "status_days": STATUS_DAYS,
        "status_time": status_time,
        "open": [
            {
                "unit": u,
                "stage": s,
                "open_orders": n,
                "avg_age_minutes": _num(a),
                "max_age_minutes": _num(m),
            }
            for u, s, n, a, m, _ in open_rows
        ],
        "as_of": open_rows[0][5].isoformat() if open_rows else None,
    }


PAGE = """<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8">
<title>Oficina — painel de ordens de serviço</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2933;
background:#f5f7fa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
.sub{color:#616e7c;font-size:13px;margin-bottom:16px}
.cards{display:flex;gap:12px;margin-bottom:16px;flex-wrap:wrap}
.card{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002;min-width:150px}
.card b{display:block;font-size:24px}.card span{color:#616e7c;font-size:12px}
.panel{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 2px #0002;margin-bottom:16px}
.legend{font-size:12px;color:#3e4c59}.legend i{display:inline-block;width:10px;height:10px;
margin:0 4px 0 12px;border-radius:2px}
table{border-collapse:collapse;font-size:13px}td,th{padding:4px 10px;border-bottom:1px solid #e4e7eb;
text-align:right}th:first-child,td:first-child{text-align:left}
svg text{font-size:11px;fill:#52606d}
</style></head><body>
<h1>Ordens de serviço — painel dos gerentes</h1>
<div class="sub">Dados dos marts do dbt (schema analytics) até __LAST_DAY__ · gerado offline, sem
rede · tempo por etapa conforme ADR 0021 (só visitas encerradas entram na média)</div>
<div class="cards" id="cards"></div>
<div class="panel"><h2>Ordens abertas por dia (últimos __VOLUME_DAYS__ dias)</h2>
<div class="legend" id="legend-volume"></div><svg id="volume" width="1100" height="300"></svg></div>
<div class="panel"><h2>Tempo médio por etapa, por unidade (horas, últimos __STATUS_DAYS__ dias)</h2>
<div class="legend" id="legend-status"></div><svg id="status" width="1100" height="320"></svg></div>
<div class="panel"><h2>Em andamento agora (idade atual, horas)</h2><table id="open"></table></div>
<script type="application/json" id="data">__DATA__</script>
<script>
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2'];
  function el(tag, attrs, parent, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e); return e;
  }
  function legend(id) {
    var box = document.getElementById(id);
    D.units.forEach(function (u, i) {
      box.insertAdjacentHTML('beforeend', '<i style="background:' + COLORS[i % 6] + '"></i>' + u);
    });
  }
  function sum(a) { return a.reduce(function (s, x) { return s + x; }, 0); }
  // cards: totals over the volume window
  var totals = [0, 0, 0, 0];
  D.units.forEach(function (u) { D.volume[u].forEach(function (r) {
    for (var k = 0; k < 4; k++) totals[k] += r[k]; }); });
  ['Abertas', 'Finalizadas', 'Entregues', 'Canceladas'].forEach(function (name, k) {
    document.getElementById('cards').insertAdjacentHTML('beforeend',
      '<div class="card" data-total="' + k + '" data-value="' + totals[k] + '"><b>' +
      totals[k].toLocaleString('pt-BR') + '</b><span>' + name + ' em ' + D.days.length +
      ' dias</span></div>');
  });
  // daily volume: one line per unit
  var svg = document.getElementById('volume'), W = 1100, H = 300, L = 44, B = 28, T = 10;
  var max = 1;
  D.units.forEach(function (u) { D.volume[u].forEach(function (r) { max = Math.max(max, r[0]); }); });
  var x = function (i) { return L + i * (W - L - 10) / Math.max(1, D.days.length - 1); };
  var y = function (v) { return H - B - v * (H - B - T) / max; };
  for (var g = 0; g <= 4; g++) {
    var v = Math.round(max * g / 4);
    el('line', {x1: L, x2: W - 10, y1: y(v), y2: y(v), stroke: '#e4e7eb'}, svg);
    el('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end'}, svg, v);
  }
  D.days.forEach(function (d, i) {
    if (i % 7 === 0) el('text', {x: x(i), y: H - 8, 'text-anchor': 'middle'}, svg, d.slice(5));
  });
  D.units.forEach(function (u, ui) {
    var pts = D.volume[u].map(function (r, i) { return x(i) + ',' + y(r[0]); }).join(' ');
    el('polyline', {points: pts, fill: 'none', stroke: COLORS[ui % 6], 'stroke-width': 2}, svg);
    D.volume[u].forEach(function (r, i) {
      var c = el('circle', {cx: x(i), cy: y(r[0]), r: 2.5, fill: COLORS[ui % 6],
        'data-chart': 'volume', 'data-unit': u, 'data-day': D.days[i], 'data-value': r[0]}, svg);
      el('title', {}, c, u + ' ' + D.days[i] + ': ' + r[0] + ' abertas');
    });
  });
  legend('legend-volume');
  // time per stage: grouped bars (hours)
  svg = document.getElementById('status'); H = 320;
  var maxm = 1;
  for (var k in D.status_time) maxm = Math.max(maxm, D.status_time[k].avg_minutes);
  var groupW = (W - L - 10) / D.stages.length, barW = (groupW - 30) / D.units.length;
  var yh = function (m) { return H - B - 20 - m * (H - B - 20 - T) / maxm; };
  for (g = 0; g <= 4; g++) {
    var m = maxm * g / 4;
    el('line', {x1: L, x2: W - 10, y1: yh(m), y2: yh(m), stroke: '#e4e7eb'}, svg);
    el('text', {x: L - 6, y: yh(m) + 4, 'text-anchor': 'end'}, svg, (m / 60).toFixed(1));
  }
  D.stages.forEach(function (s, si) {
    var gx = L + si * groupW + 15;
    el('text', {x: gx + (groupW - 30) / 2, y: H - 14, 'text-anchor': 'middle'}, svg, s);
    D.units.forEach(function (u, ui) {
      var f = D.status_time[u + '|' + s];
      if (!f) return;
      var r = el('rect', {x: gx + ui * barW, y: yh(f.avg_minutes), width: barW - 2,
        height: H - B - 20 - yh(f.avg_minutes), fill: COLORS[ui % 6],
        'data-chart': 'status', 'data-unit': u, 'data-stage': s,
        'data-avg-minutes': f.avg_minutes, 'data-visits': f.visits}, svg);
      el('title', {}, r, u + ' · ' + s + ': ' + (f.avg_minutes / 60).toFixed(1) + ' h em média, ' +
        f.visits + ' visitas, pior p90 diário ' + (f.worst_p90 / 60).toFixed(1) + ' h');
    });
  });
  legend('legend-status');
  // open orders now
  var t = document.getElementById('open');
  var head = '<tr><th>Unidade</th>' + D.stages.map(function (s) { return '<th>' + s + '</th>'; }).join('') + '</tr>';
  var body = D.units.map(function (u) {
    return '<tr><td>' + u + '</td>' + D.stages.map(function (s) {
      var o = D.open.filter(function (r) { return r.unit === u && r.stage === s; })[0];
      if (!o || !o.open_orders) return '<td data-chart="open" data-unit="' + u + '" data-stage="' + s + '" data-value="0">—</td>';
      return '<td data-chart="open" data-unit="' + u + '" data-stage="' + s + '" data-value="' + o.open_orders +
        '">' + o.open_orders + ' OS · ' + (o.avg_age_minutes / 60).toFixed(1) + ' h</td>';
    }).join('') + '</tr>';
  }).join('');
  t.innerHTML = head + body;
  document.body.setAttribute('data-rendered', 'true');
})();
</script></body></html>
"""


def render(data: dict) -> str:
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        PAGE.replace("__DATA__", payload)
        .replace("__LAST_DAY__", html.escape(data["last_day"]))
        .replace("__VOLUME_DAYS__", str(VOLUME_DAYS))
        .replace("__STATUS_DAYS__", str(STATUS_DAYS))
    )


def main(argv: list[str]) -> None:
    url = argv[0]
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(collect(url.replace("+psycopg2", ""))), encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
