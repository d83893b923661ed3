/**
 * The dashboard's polling and drawing code as browser JavaScript: fetches `<page>/data`, keeps
 * the latest answer per worker, and draws inline SVG charts and tables. Dynamic text goes through
 * `textContent` only (model names come from configuration). No backticks or template placeholders.
 */
export const DASHBOARD_VIEW_JS = String.raw`
(function (D) {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var params = new URLSearchParams(location.search);
  var POLL_MS = Math.max(100, Number(params.get('interval')) || 2000);
  var STALE_MS = 120000;
  var DATA_URL = location.pathname.replace(/\/+$/, '') + '/data';
  var BUCKET_COLORS = { cheap: '#2e9d5b', mid: '#d89b1c', hard: '#c8463d', explicit: '#5470c6' };
  var sources = new Map();
  var updates = 0;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs || {}) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function usd(v) {
    var a = Math.abs(v);
    var digits = a === 0 ? 2 : a < 0.01 ? 5 : a < 1 ? 4 : 2;
    return (v < 0 ? '-$' : '$') + a.toFixed(digits);
  }
  function ms(v) { return v === null ? '–' : v < 1 ? (v * 1000).toFixed(0) + ' µs' : v < 1000 ? v.toFixed(v < 10 ? 2 : 0) + ' ms' : (v / 1000).toFixed(2) + ' s'; }
  function pct(v) { return (v * 100).toFixed(v < 0.1 ? 2 : 1) + '%'; }
  function hhmm(t) { var d = new Date(t); return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0'); }
  function colorOf(bucket) { return BUCKET_COLORS[bucket] || '#888'; }
  /** The smallest 1, 2 or 5 times a power of ten at or above v, so axis ticks read well. */
  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }
  /** Drawing width in CSS pixels, so text in the SVG keeps its size whatever the card's width. */
  function widthOf(host) { return Math.max(320, Math.round(host.clientWidth || 640)); }

  /** A line chart of series over the window's minutes; null values leave gaps. */
  function lineChart(host, minutes, series, fmt) {
    clear(host);
    var W = widthOf(host), H = 220, L = 70, R = 12, T = 12, B = 26;
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    var max = 0;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v > max) max = v; }); });
    max = niceMax(max);
    // 2 x 10^k splits into quarters, 1, 2.5 and 5 x 10^k into fifths: every tick is a round number.
    var lead = max / Math.pow(10, Math.floor(Math.log10(max)));
    var ticks = Math.abs(lead - 2) < 1e-9 ? 4 : 5;
    var n = minutes.length;
    function x(i) { return n <= 1 ? L + (W - L - R) : L + (i * (W - L - R)) / (n - 1); }
    function y(v) { return T + (H - T - B) * (1 - v / max); }
    for (var g = 0; g <= ticks; g++) {
      var gv = (max * g) / ticks;
      root.appendChild(svg('line', { x1: L, x2: W - R, y1: y(gv), y2: y(gv), class: 'grid' }));
      root.appendChild(svg('text', { x: L - 6, y: y(gv) + 4, class: 'axis', 'text-anchor': 'end' }, fmt(gv)));
    }
    [0, Math.floor((n - 1) / 2), n - 1].forEach(function (i, k, all) {
      if (i < 0 || (k > 0 && i === all[k - 1])) return;
      root.appendChild(svg('text', { x: x(i), y: H - 8, class: 'axis', 'text-anchor': k === 0 ? 'start' : k === 2 ? 'end' : 'middle' }, hhmm(minutes[i].t)));
    });
    series.forEach(function (s) {
      var d = '';
      var pen = false;
      s.values.forEach(function (v, i) {
        if (v === null) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1) + ' ';
        pen = true;
      });
      if (d !== '') root.appendChild(svg('path', { d: d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'data-series': s.name }));
      s.values.forEach(function (v, i) {
        var lone = v !== null && (i === 0 || s.values[i - 1] === null) && (i === n - 1 || s.values[i + 1] === null);
        if (lone) root.appendChild(svg('circle', { cx: x(i), cy: y(v), r: 3, fill: s.color }));
      });
    });
    host.appendChild(root);
    var legend = el('div', { class: 'legend' });
    series.forEach(function (s) {
      var item = el('span', { class: 'key' });
      item.appendChild(el('i', { style: 'background:' + s.color }));
      var last = null;
      s.values.forEach(function (v) { if (v !== null) last = v; });
      item.appendChild(document.createTextNode(s.name + (last === null ? '' : ' ' + fmt(last))));
      legend.appendChild(item);
    });
    host.appendChild(legend);
  }

  /** Requests per minute, errors stacked in red. */
  function requestBars(host, minutes) {
    clear(host);
    var W = widthOf(host), H = 160, L = 40, R = 12, T = 10, B = 22;
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    var max = 1;
    minutes.forEach(function (m) { if (m.requests > max) max = m.requests; });
    var n = minutes.length;
    var bw = (W - L - R) / n;
    function y(v) { return T + (H - T - B) * (1 - v / max); }
    root.appendChild(svg('text', { x: L - 6, y: y(max) + 4, class: 'axis', 'text-anchor': 'end' }, String(max)));
    root.appendChild(svg('line', { x1: L, x2: W - R, y1: y(0), y2: y(0), class: 'grid' }));
    minutes.forEach(function (m, i) {
      var ok = m.requests - m.errors;
      var x0 = L + i * bw + bw * 0.15;
      if (ok > 0) root.appendChild(svg('rect', { x: x0, y: y(m.requests), width: bw * 0.7, height: y(m.errors) - y(m.requests), fill: '#5470c6' }));
      if (m.errors > 0) root.appendChild(svg('rect', { x: x0, y: y(m.errors), width: bw * 0.7, height: y(0) - y(m.errors), fill: '#c8463d' }));
    });
    root.appendChild(svg('text', { x: L, y: H - 6, class: 'axis' }, hhmm(minutes[0].t)));
    root.appendChild(svg('text', { x: W - R, y: H - 6, class: 'axis', 'text-anchor': 'end' }, hhmm(minutes[n - 1].t)));
    host.appendChild(root);
  }

  /** One horizontal bar per model, split by bucket, and the table the test and operators read. */
  function routes(host, table, rows, total) {
    clear(host);
    var byModel = new Map();
    rows.forEach(function (r) {
      var m = byModel.get(r.model) || { model: r.model, total: 0, parts: [] };
      m.total += r.count;
      m.parts.push(r);
      byModel.set(r.model, m);
    });
    var models = Array.from(byModel.values()).sort(function (a, b) { return b.total - a.total; });
    var W = widthOf(host), row = 26, L = 260, R = 90;
    var H = Math.max(1, models.length) * row + 8;
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    var max = models.length > 0 ? models[0].total : 1;
    models.forEach(function (m, i) {
      var y0 = 4 + i * row;
      root.appendChild(svg('text', { x: L - 8, y: y0 + 16, class: 'label', 'text-anchor': 'end' }, m.model));
      var x0 = L;
      m.parts.forEach(function (p) {
        var w = ((W - L - R) * p.count) / max;
        root.appendChild(svg('rect', { x: x0, y: y0 + 3, width: Math.max(1, w), height: row - 8, fill: colorOf(p.bucket) }));
        x0 += w;
      });
      root.appendChild(svg('text', { x: x0 + 6, y: y0 + 16, class: 'label' }, m.total + ' · ' + pct(m.total / Math.max(1, total))));
    });
    if (models.length === 0) root.appendChild(svg('text', { x: 8, y: 18, class: 'axis' }, 'No chat requests yet'));
    host.appendChild(root);
    var legend = el('div', { class: 'legend' });
    ['cheap', 'mid', 'hard', 'explicit'].forEach(function (b) {
      var item = el('span', { class: 'key' });
      item.appendChild(el('i', { style: 'background:' + colorOf(b) }));
      item.appendChild(document.createTextNode(b));
      legend.appendChild(item);
    });
    host.appendChild(legend);
    var body = table.tBodies[0];
    clear(body);
    rows.forEach(function (r) {
      var tr = el('tr', { 'data-model': r.model, 'data-bucket': r.bucket });
      tr.appendChild(el('td', { class: 'model' }, r.model));
      var b = el('td', { class: 'bucket' });
      b.appendChild(el('span', { class: 'badge', style: 'background:' + colorOf(r.bucket) }, r.bucket));
      tr.appendChild(b);
      tr.appendChild(el('td', { class: 'count num' }, String(r.count)));
      tr.appendChild(el('td', { class: 'share num' }, pct(r.count / Math.max(1, total))));
      body.appendChild(tr);
    });
  }

  function keyValueTable(table, entries, cls) {
    var body = table.tBodies[0];
    clear(body);
    if (entries.length === 0) {
      var tr = el('tr', { class: 'empty' });
      tr.appendChild(el('td', { colspan: 2 }, 'none'));
      body.appendChild(tr);
    }
    entries.forEach(function (e) {
      var tr = el('tr', { 'data-key': e[0] });
      tr.appendChild(el('td', {}, e[0]));
      var v = el('td', { class: 'num' });
      if (cls) v.appendChild(el('span', { class: 'badge ' + cls(e[1]) }, String(e[1])));
      else v.textContent = String(e[1]);
      tr.appendChild(v);
      body.appendChild(tr);
    });
  }

  function stat(id, text) { $(id).textContent = text; }

  function render() {
    var now = Date.now();
    sources.forEach(function (s, pid) { if (now - s.seen > STALE_MS) sources.delete(pid); });
    var merged = D.mergeSources(Array.from(sources.values(), function (s) { return s.data; }));
    var minutes = D.denseMinutes(merged, 15, 60);
    var tot = D.totals(merged.minutes);
    var recent = D.totals(merged.minutes.filter(function (m) { return m.t > merged.now - 5 * merged.minuteMs; }));
    var routeRows = D.routeTotals(merged.minutes);
    var fallbacks = 0;
    for (var k in tot.fallbacks) fallbacks += tot.fallbacks[k];

    stat('stat-requests', String(tot.requests));
    stat('stat-errors', tot.requests === 0 ? '–' : pct(tot.errors / tot.requests));
    stat('stat-fallbacks', String(fallbacks));
    stat('stat-cost', usd(tot.cost_usd));
    stat('stat-saved', usd(tot.saved_usd));
    stat('stat-saved-share', tot.baseline_usd > 0 ? pct(tot.saved_usd / tot.baseline_usd) + ' of the baseline' : '');
    stat('stat-p99', ms(D.quantile(recent.latency, 0.99, merged.sketch)));
    stat('stat-decision', ms(D.quantile(recent.decision, 0.99, merged.sketch)));
    stat('meta', 'artifact ' + merged.artifacts.join(', ') + ' · ' + merged.workers + ' worker' + (merged.workers === 1 ? '' : 's') + ' · updated ' + new Date(now).toLocaleTimeString());

    routes($('routes-chart'), $('routes-table'), routeRows, tot.requests);
    requestBars($('requests-chart'), minutes);
    var cum = function (field) {
      var acc = 0;
      return minutes.map(function (m) { acc += m[field]; return acc; });
    };
    lineChart($('cost-chart'), minutes, [
      { name: 'best-model baseline', color: '#999', values: cum('baseline_usd') },
      { name: 'routed (expected)', color: '#5470c6', values: cum('expected_usd') },
      { name: 'reported cost', color: '#d89b1c', values: cum('cost_usd') },
      { name: 'saved', color: '#2e9d5b', values: cum('saved_usd') },
    ], usd);
    var q = function (field, p) { return minutes.map(function (m) { return D.quantile(m[field], p, merged.sketch); }); };
    lineChart($('latency-chart'), minutes, [
      { name: 'P50', color: '#2e9d5b', values: q('latency', 0.5) },
      { name: 'P90', color: '#d89b1c', values: q('latency', 0.9) },
      { name: 'P99', color: '#c8463d', values: q('latency', 0.99) },
    ], ms);
    lineChart($('decision-chart'), minutes, [
      { name: 'P50', color: '#2e9d5b', values: q('decision', 0.5) },
      { name: 'P99', color: '#c8463d', values: q('decision', 0.99) },
    ], ms);
    keyValueTable($('fallbacks-table'), Object.keys(tot.fallbacks).sort().map(function (r) { return [r, tot.fallbacks[r]]; }));
    keyValueTable($('circuits-table'), merged.circuits.map(function (c) { return [c.target, c.state]; }), function (s) { return 'state-' + s; });
    updates++;
    document.body.setAttribute('data-updates', String(updates));
    document.body.setAttribute('data-state', 'live');
  }

  function poll() {
    fetch(DATA_URL, { cache: 'no-store' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (data) {
        sources.set(data.source.pid, { seen: Date.now(), data: data });
        $('error').textContent = '';
        render();
      })
      .catch(function (err) {
        $('error').textContent = 'Cannot read ' + DATA_URL + ': ' + err.message;
        document.body.setAttribute('data-state', 'error');
      })
      .then(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
})(HeimdallDashboard);
`;
