import type { CurvePoint } from './cost-quality-curve.js';
import { nonDecreasingHull } from './cost-quality-curve.js';

/** One router's curve on the plot. */
export interface PlotSeries {
  readonly name: string;
  readonly points: readonly CurvePoint[];
  /** Highlighted (thicker) line: the served router. */
  readonly emphasis?: boolean;
}

export interface PlotInput {
  readonly title: string;
  readonly series: readonly PlotSeries[];
  /** Single models, drawn as labelled points. */
  readonly singles: Readonly<Record<string, CurvePoint>>;
  readonly xLabel: string;
}

const W = 960;
const H = 600;
const M = { left: 70, right: 250, top: 40, bottom: 60 };
const COLORS = ['#7f7f7f', '#bcbd22', '#8c564b', '#17becf', '#2ca02c', '#9467bd', '#ff7f0e', '#d62728', '#1f77b4', '#e377c2'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(10)));
  return out;
}

/**
 * Accuracy-vs-cost plot as a self-contained SVG: each router's non-decreasing convex hull as a
 * line with its raw sweep points as dots, single models as labelled diamonds. Deterministic text
 * (fixed number formatting), so reports diff cleanly.
 */
export function accuracyCostSvg(input: PlotInput): string {
  const all = [...input.series.flatMap((s) => s.points), ...Object.values(input.singles)];
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xMax = Math.max(...xs) * 1.05;
  const yLo = Math.max(0, Math.floor((Math.min(...ys) - 0.02) * 20) / 20);
  const yHi = Math.min(1, Math.ceil((Math.max(...ys) + 0.02) * 20) / 20);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number): number => M.left + (x / xMax) * pw;
  const sy = (y: number): number => M.top + ph - ((y - yLo) / (yHi - yLo)) * ph;
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2 - M.right / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(input.title)}</text>`);
  for (const t of niceTicks(0, xMax, 6)) {
    out.push(`<line x1="${f(sx(t))}" y1="${M.top}" x2="${f(sx(t))}" y2="${M.top + ph}" stroke="#eeeeee"/>`);
    out.push(`<text x="${f(sx(t))}" y="${M.top + ph + 18}" text-anchor="middle">${t}</text>`);
  }
  for (const t of niceTicks(yLo, yHi, 6)) {
    out.push(`<line x1="${M.left}" y1="${f(sy(t))}" x2="${M.left + pw}" y2="${f(sy(t))}" stroke="#eeeeee"/>`);
    out.push(`<text x="${M.left - 8}" y="${f(sy(t) + 4)}" text-anchor="end">${t.toFixed(2)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 18}" text-anchor="middle">${esc(input.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">accuracy (mean score)</text>`);
  input.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const hull = nonDecreasingHull(s.points);
    const width = s.emphasis ? 3 : 1.6;
    if (hull.length > 1) {
      const last = hull[hull.length - 1] as CurvePoint;
      const d = [...hull, [xMax, last[1]] as CurvePoint].map((p, j) => `${j === 0 ? 'M' : 'L'}${f(sx(p[0]))} ${f(sy(p[1]))}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}"/>`);
    }
    for (const p of s.points) out.push(`<circle cx="${f(sx(p[0]))}" cy="${f(sy(p[1]))}" r="${hull.length > 1 ? 2.2 : 5}" fill="${color}"/>`);
    const ly = M.top + 14 + i * 20;
    out.push(`<line x1="${W - M.right + 16}" y1="${ly - 4}" x2="${W - M.right + 40}" y2="${ly - 4}" stroke="${color}" stroke-width="${width + 1}"/>`);
    out.push(`<text x="${W - M.right + 46}" y="${ly}">${esc(s.name)}</text>`);
  });
  const names = Object.keys(input.singles).sort();
  const base = M.top + 14 + input.series.length * 20 + 16;
  out.push(`<text x="${W - M.right + 16}" y="${base}" font-weight="bold">single models</text>`);
  names.forEach((name, i) => {
    const p = input.singles[name] as CurvePoint;
    const x = sx(p[0]);
    const y = sy(p[1]);
    out.push(`<path d="M${f(x)} ${f(y - 5)} L${f(x + 5)} ${f(y)} L${f(x)} ${f(y + 5)} L${f(x - 5)} ${f(y)} Z" fill="none" stroke="#000000"/>`);
    out.push(`<text x="${f(x + 7)}" y="${f(y - 6)}" font-size="10">${i + 1}</text>`);
    out.push(`<text x="${W - M.right + 16}" y="${base + 16 + i * 15}" font-size="10">${i + 1}: ${esc(name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
