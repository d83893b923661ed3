import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { accuracyCostSvg } from './accuracy-cost-svg.js';
import { ROUTER_NAMES, SERVED_ROUTER } from './evaluate-fold.js';
import type { EvaluationReport, ProtocolResult } from './run-evaluation.js';

const PROTOCOL_TITLES: Record<string, string> = {
  cv5: '5-fold cross-validation (stratified by task, fresh artifact per fold)',
  split: 'train split -> test split',
  artifact: 'given artifact on the test records',
};

/** Renders an SVG to PNG with resvg (a prebuilt native binary shipped in its npm package; no download at run time). */
export function svgToPng(svg: string): Buffer {
  const r = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' });
  return r.render().asPng();
}

function fmt(x: number, digits = 4): string {
  return x.toFixed(digits);
}

/** The results table of one protocol, in Markdown. */
export function protocolTable(p: ProtocolResult): string {
  const multi = p.folds.length > 1;
  const pm = (v: number, s: number): string => (multi ? `${fmt(v)} ± ${fmt(s, 4)}` : fmt(v));
  const lines = [
    '| router | AIQ | max accuracy | parity cost ratio | cost at max accuracy (USD) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const name of ROUTER_NAMES) {
    const r = p.routers[name];
    const best = r.points.reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
    const parity =
      r.parityCostRatio === null
        ? `unreached${multi ? ` (${r.parityReachedFolds}/${p.folds.length} folds)` : ''}`
        : multi
          ? `${fmt(r.parityCostRatio, 3)} ± ${fmt(r.parityCostRatioStd ?? 0, 3)}`
          : fmt(r.parityCostRatio, 3);
    lines.push(`| ${name === SERVED_ROUTER ? `**${name}** (served)` : name} | ${pm(r.aiq, r.aiqStd)} | ${pm(r.maxAccuracy, r.maxAccuracyStd)} | ${parity} | ${fmt(best[0], 4)} |`);
  }
  return lines.join('\n');
}

/**
 * Writes `report.md` plus `accuracy-cost-<protocol>.svg` and `.png` for every protocol into `dir`.
 * Returns the written file paths.
 */
export function writeEvaluationReport(report: EvaluationReport, dir: string, command: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const md: string[] = ['# Routing evaluation', '', `Command: \`${command}\``, ''];
  md.push(
    `${report.records} prompts, ${report.models.length} models. Cost of a prompt on a model: its price x (exact o200k_base prompt tokens + ${report.outputTokens} assumed output tokens), unless the dataset gives measured costs. Points are (total cost of the test prompts in USD, mean score); for cv5, means over the 5 folds.`,
    '',
    'AIQ = (1 / (c_max - c_min)) x integral from c_min to c_max of H(c) dc, where H is the router\'s non-decreasing convex hull of (cost, accuracy) points (0 below its cheapest point, flat after its best) and [c_min, c_max] runs from the cheapest to the most expensive single model\'s cost. Parity cost ratio: the cost at which the hull first reaches the accuracy of the best single model (chosen on training data) over that model\'s cost.',
    '',
  );
  for (const [name, p] of Object.entries(report.protocols)) {
    const svg = accuracyCostSvg({
      title: `Accuracy vs cost: ${name}`,
      series: ROUTER_NAMES.map((r) => ({ name: r === SERVED_ROUTER ? `${r} (served)` : r, points: p.routers[r].points, emphasis: r === SERVED_ROUTER })),
      singles: p.singles,
      xLabel: `total cost of the ${p.folds.length > 1 ? 'fold\'s ' : ''}test prompts (USD)`,
    });
    const svgPath = join(dir, `accuracy-cost-${name}.svg`);
    const pngPath = join(dir, `accuracy-cost-${name}.png`);
    writeFileSync(svgPath, svg);
    writeFileSync(pngPath, svgToPng(svg));
    written.push(svgPath, pngPath);
    md.push(`## ${name}: ${PROTOCOL_TITLES[name] ?? name}`, '');
    const f0 = p.folds[0];
    if (f0) md.push(`${p.folds.length} fold(s); train/test prompts per fold: ${p.folds.map((f) => `${f.nTrain}/${f.nTest}`).join(', ')}; best single model (chosen on train): ${[...new Set(p.bestSingles)].join(', ')}.`, '');
    md.push(protocolTable(p), '');
    md.push(
      `Artifact knobs per fold (fitted on each fold's validation split): ${p.folds
        .map((f) => `k=${f.artifactKnobs.k} top_p=${f.artifactKnobs.topP} temperature=${f.artifactKnobs.clusterTemperature} alpha=${f.artifactKnobs.alpha} thresholds cheap=${f.artifactKnobs.thresholds.cheap} hard=${f.artifactKnobs.thresholds.hard}`)
        .join('; ')}.`,
      '',
    );
    const served = p.routers[SERVED_ROUTER];
    if (served.operatingPoint) md.push(`Served operating point (the artifact's fitted alpha): cost ${fmt(served.operatingPoint[0])} USD, accuracy ${fmt(served.operatingPoint[1])}.`, '');
    md.push('Single models (cost USD, accuracy):', '');
    md.push('| model | cost | accuracy |', '| --- | --- | --- |');
    for (const [m, pt] of Object.entries(p.singles).sort((a, b) => a[1][0] - b[1][0] || (a[0] < b[0] ? -1 : 1))) md.push(`| ${m} | ${fmt(pt[0])} | ${fmt(pt[1])} |`);
    md.push('', `![accuracy vs cost, ${name}](accuracy-cost-${name}.svg)`, '');
  }
  const mdPath = join(dir, 'report.md');
  writeFileSync(mdPath, `${md.join('\n')}\n`);
  written.unshift(mdPath);
  return written;
}
