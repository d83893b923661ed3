/**
 * The dashboard's data model as browser JavaScript (no DOM): merging the answers of several
 * workers, reading percentiles off latency sketches, totals for the tables. Kept apart from the
 * drawing code so tests can evaluate it in Node (`new Function(DASHBOARD_MODEL_JS + 'return HeimdallDashboard;')`).
 * Plain ES2020 in a string because the page is served as is, with no build step; it must not
 * contain backticks or template placeholders.
 */
export const DASHBOARD_MODEL_JS = String.raw`
var HeimdallDashboard = (function () {
  'use strict';
  var SEP = '\u0000';
  var RANK = { closed: 0, 'half-open': 1, open: 2 };

  function emptyMinute(t) {
    return { t: t, requests: 0, errors: 0, client_errors: 0, cost_usd: 0, expected_usd: 0, baseline_usd: 0, saved_usd: 0, routes: {}, fallbacks: {}, latency: {}, decision: {} };
  }

  function addCounts(into, from) {
    for (var k in from) if (Object.prototype.hasOwnProperty.call(from, k)) into[k] = (into[k] || 0) + from[k];
  }

  /** Adds up the latest answer of every worker: per-minute sums, worst circuit state per target. */
  function mergeSources(list) {
    var byT = new Map();
    var circuits = new Map();
    var artifacts = [];
    var sketch = null;
    var now = 0;
    var minuteMs = 60000;
    list.forEach(function (d) {
      sketch = d.sketch;
      minuteMs = d.minute_ms || minuteMs;
      if (d.now > now) now = d.now;
      if (artifacts.indexOf(d.artifact_version) < 0) artifacts.push(d.artifact_version);
      d.minutes.forEach(function (m) {
        var a = byT.get(m.t);
        if (!a) {
          a = emptyMinute(m.t);
          byT.set(m.t, a);
        }
        a.requests += m.requests;
        a.errors += m.errors;
        a.client_errors += m.client_errors;
        a.cost_usd += m.cost_usd;
        a.expected_usd += m.expected_usd;
        a.baseline_usd += m.baseline_usd;
        a.saved_usd += m.saved_usd;
        m.routes.forEach(function (r) {
          var key = r[0] + SEP + r[1];
          a.routes[key] = (a.routes[key] || 0) + r[2];
        });
        addCounts(a.fallbacks, m.fallbacks);
        addCounts(a.latency, m.latency);
        addCounts(a.decision, m.decision);
      });
      d.circuits.forEach(function (c) {
        var prev = circuits.get(c.target);
        if (prev === undefined || RANK[c.state] > RANK[prev]) circuits.set(c.target, c.state);
      });
    });
    var minutes = Array.from(byT.values()).sort(function (a, b) { return a.t - b.t; });
    var circuitList = Array.from(circuits, function (e) { return { target: e[0], state: e[1] }; }).sort(function (a, b) {
      return RANK[b.state] - RANK[a.state] || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0);
    });
    return { now: now, minuteMs: minuteMs, sketch: sketch, minutes: minutes, circuits: circuitList, artifacts: artifacts, workers: list.length };
  }

  /** The q quantile (0..1) of sparse sketch counts, in ms: the upper bound of its bucket; null when empty. */
  function quantile(counts, q, sketch) {
    var idx = Object.keys(counts).map(Number).sort(function (a, b) { return a - b; });
    var total = 0;
    idx.forEach(function (i) { total += counts[i]; });
    if (total === 0 || !sketch) return null;
    var rank = Math.max(1, Math.ceil(q * total));
    var seen = 0;
    for (var j = 0; j < idx.length; j++) {
      seen += counts[idx[j]];
      if (seen >= rank) return sketch.baseMs * Math.pow(sketch.factor, idx[j]);
    }
    return sketch.baseMs * Math.pow(sketch.factor, idx[idx.length - 1]);
  }

  /** Requests by model and bucket over the given minutes, most first. */
  function routeTotals(minutes) {
    var sum = {};
    minutes.forEach(function (m) { addCounts(sum, m.routes); });
    return Object.keys(sum)
      .map(function (k) {
        var cut = k.indexOf(SEP);
        return { model: k.slice(0, cut), bucket: k.slice(cut + 1), count: sum[k] };
      })
      .sort(function (a, b) { return b.count - a.count || (a.model < b.model ? -1 : 1); });
  }

  /** Sums of the scalar fields and of fallbacks and sketches over the given minutes. */
  function totals(minutes) {
    var t = emptyMinute(0);
    minutes.forEach(function (m) {
      ['requests', 'errors', 'client_errors', 'cost_usd', 'expected_usd', 'baseline_usd', 'saved_usd'].forEach(function (f) { t[f] += m[f]; });
      addCounts(t.fallbacks, m.fallbacks);
      addCounts(t.latency, m.latency);
      addCounts(t.decision, m.decision);
    });
    return t;
  }

  /** The minutes of the window as a dense series (missing minutes are empty), oldest first. */
  function denseMinutes(merged, minSpan, maxSpan) {
    var ms = merged.minuteMs;
    var last = Math.floor(merged.now / ms) * ms;
    var first = merged.minutes.length > 0 ? merged.minutes[0].t : last;
    var span = Math.min(maxSpan, Math.max(minSpan, Math.round((last - first) / ms) + 1));
    var byT = new Map(merged.minutes.map(function (m) { return [m.t, m]; }));
    var out = [];
    for (var i = span - 1; i >= 0; i--) {
      var t = last - i * ms;
      out.push(byT.get(t) || emptyMinute(t));
    }
    return out;
  }

  return { mergeSources: mergeSources, quantile: quantile, routeTotals: routeTotals, totals: totals, denseMinutes: denseMinutes };
})();
`;
