import { DASHBOARD_MODEL_JS } from './dashboard-model-js.js';
import { DASHBOARD_VIEW_JS } from './dashboard-view-js.js';

const CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #6b7383; --line: #e3e6ec; --card: #fff; --bg: #f4f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 16px; padding: 14px 20px; background: #1d2330; color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
header #meta { color: #b9c0cf; font-size: 12px; }
#error { color: #c8463d; padding: 0 20px; }
.stats { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 12px; padding: 16px 20px 0; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.stat .label { color: var(--muted); font-size: 12px; }
.stat .value { font-size: 20px; font-weight: 600; margin-top: 2px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.stat .sub { color: var(--muted); font-size: 12px; }
main { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; padding: 16px 20px 24px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
section h2 { font-size: 14px; margin: 0 0 8px; font-weight: 600; }
section.wide { grid-column: span 2; }
svg { width: 100%; height: auto; display: block; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .axis { fill: var(--muted); font-size: 11px; }
svg .label { fill: var(--fg); font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 6px; color: var(--muted); font-size: 12px; }
.legend .key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
table { width: 100%; border-collapse: collapse; margin-top: 8px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 500; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; color: #fff; font-size: 12px; background: #888; }
.state-open { background: #c8463d; } .state-half-open { background: #d89b1c; } .state-closed { background: #2e9d5b; }
tr.empty td { color: var(--muted); }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } section.wide { grid-column: auto; } .stats { grid-template-columns: repeat(2, 1fr); } }
`;

const BODY = `
<header><h1>Heimdall</h1><span id="meta">connecting…</span></header>
<div id="error" role="alert"></div>
<div class="stats">
  <div class="stat"><div class="label">Chat requests (60 min)</div><div class="value" id="stat-requests">–</div></div>
  <div class="stat"><div class="label">5xx rate</div><div class="value" id="stat-errors">–</div></div>
  <div class="stat"><div class="label">Fallbacks</div><div class="value" id="stat-fallbacks">–</div></div>
  <div class="stat"><div class="label">Reported cost</div><div class="value" id="stat-cost">–</div></div>
  <div class="stat"><div class="label">Saved vs best model</div><div class="value" id="stat-saved">–</div><div class="sub" id="stat-saved-share"></div></div>
  <div class="stat"><div class="label">P99 latency (5 min)</div><div class="value" id="stat-p99">–</div></div>
  <div class="stat"><div class="label">P99 decision (5 min)</div><div class="value" id="stat-decision">–</div></div>
</div>
<main>
  <section class="wide"><h2>Route share by model and bucket</h2><div id="routes-chart"></div>
    <table id="routes-table"><thead><tr><th>Model</th><th>Bucket</th><th class="num">Requests</th><th class="num">Share</th></tr></thead><tbody></tbody></table>
  </section>
  <section><h2>Cost and estimated savings (cumulative, USD)</h2><div id="cost-chart"></div></section>
  <section><h2>Chat requests per minute (errors in red)</h2><div id="requests-chart"></div></section>
  <section><h2>Request latency percentiles</h2><div id="latency-chart"></div></section>
  <section><h2>Routing decision latency percentiles</h2><div id="decision-chart"></div></section>
  <section><h2>Fallbacks by reason</h2><table id="fallbacks-table"><thead><tr><th>Reason</th><th class="num">Count</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Circuit breakers</h2><table id="circuits-table"><thead><tr><th>Target</th><th class="num">State</th></tr></thead><tbody></tbody></table></section>
</main>
`;

/** The dashboard page: one self-contained HTML document (inline CSS and script, nothing fetched but its data). */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heimdall dashboard</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body data-state="loading">
${BODY}
<script>${DASHBOARD_MODEL_JS}
${DASHBOARD_VIEW_JS}</script>
</body>
</html>
`;

/** Only inline code and same-origin data: a CDN reference would be refused by the browser. */
export const DASHBOARD_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
