/** A router's operating point: total (or mean) cost and accuracy (mean score). */
export type CurvePoint = readonly [cost: number, accuracy: number];

/**
 * The non-decreasing upper convex hull of a set of (cost, accuracy) points: the best accuracy
 * reachable at each cost by mixing operating points (randomising between two routers' choices
 * interpolates linearly). Points past the accuracy maximum are dropped: spending more never has to
 * lose accuracy, so the curve stays flat there.
 */
export function nonDecreasingHull(points: readonly CurvePoint[]): CurvePoint[] {
  const sorted = [...points].filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const hull: CurvePoint[] = [];
  for (const p of sorted) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2] as CurvePoint;
      const b = hull[hull.length - 1] as CurvePoint;
      // Remove b when it lies on or below the segment a -> p (not a right turn on the upper hull).
      const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
      if (cross >= 0) hull.pop();
      else break;
    }
    if (hull.length === 1 && (hull[0] as CurvePoint)[0] === p[0]) continue;
    hull.push(p);
  }
  let best = 0;
  for (let i = 1; i < hull.length; i++) if ((hull[i] as CurvePoint)[1] > (hull[best] as CurvePoint)[1]) best = i;
  return hull.slice(0, best + 1);
}

/** Accuracy of the hull at `cost`: 0 below its cheapest point, flat after its best. */
export function hullAccuracyAt(hull: readonly CurvePoint[], cost: number): number {
  if (hull.length === 0) return 0;
  const first = hull[0] as CurvePoint;
  if (cost < first[0]) return 0;
  for (let i = 1; i < hull.length; i++) {
    const a = hull[i - 1] as CurvePoint;
    const b = hull[i] as CurvePoint;
    if (cost <= b[0]) return a[1] + ((b[1] - a[1]) * (cost - a[0])) / (b[0] - a[0]);
  }
  return (hull[hull.length - 1] as CurvePoint)[1];
}

/**
 * Average Improvement in Quality, normalised: AIQ = (1 / (cMax - cMin)) * integral from cMin to cMax
 * of H(c) dc, where H is the router's non-decreasing convex hull (0 where the router cannot go that
 * cheap) and [cMin, cMax] runs from the cheapest to the most expensive single model's cost. It is the
 * mean accuracy the router offers across the whole cost range; comparable across routers on one dataset.
 */
export function aiq(points: readonly CurvePoint[], cMin: number, cMax: number): number {
  if (!(cMax > cMin)) return hullAccuracyAt(nonDecreasingHull(points), cMax);
  const hull = nonDecreasingHull(points);
  // Exact integral of a piecewise-linear function: integrate over breakpoints clipped to [cMin, cMax].
  const xs = new Set<number>([cMin, cMax]);
  for (const p of hull) if (p[0] > cMin && p[0] < cMax) xs.add(p[0]);
  const first = hull[0];
  if (first && first[0] > cMin && first[0] < cMax) xs.add(first[0] - 1e-12 * (cMax - cMin));
  const grid = [...xs].sort((a, b) => a - b);
  let area = 0;
  for (let i = 1; i < grid.length; i++) {
    const x0 = grid[i - 1] as number;
    const x1 = grid[i] as number;
    area += ((hullAccuracyAt(hull, x0) + hullAccuracyAt(hull, x1)) / 2) * (x1 - x0);
  }
  return area / (cMax - cMin);
}

/**
 * The cost at which the router first reaches `targetAccuracy`, over `referenceCost` (the best single
 * model's cost at that accuracy); `null` when the hull never reaches it.
 */
export function parityCostRatio(points: readonly CurvePoint[], targetAccuracy: number, referenceCost: number): number | null {
  const hull = nonDecreasingHull(points);
  for (let i = 0; i < hull.length; i++) {
    const b = hull[i] as CurvePoint;
    if (b[1] < targetAccuracy) continue;
    if (i === 0) return b[0] / referenceCost;
    const a = hull[i - 1] as CurvePoint;
    const c = a[0] + ((targetAccuracy - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
    return c / referenceCost;
  }
  return null;
}
