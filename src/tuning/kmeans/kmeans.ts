import { createSeededRng, type SeededRng } from '../../core/math/seeded-rng.js';

/** Options of {@link kmeans}. */
export interface KMeansOptions {
  readonly seed: number;
  /** Lloyd iterations per restart. Default 100. */
  readonly maxIter?: number;
  /** Stop when no centroid moves by more than this cosine distance (1 - cos). Default 1e-6. */
  readonly tol?: number;
  /** Independent k-means++ seedings; the lowest inertia wins (earliest on ties). Default 3. */
  readonly restarts?: number;
}

/** Result of {@link kmeans}. */
export interface KMeansResult {
  /** k x d row-major, each row L2-normalised. */
  readonly centroids: Float32Array;
  readonly assignments: Int32Array;
  /** Sum over points of the cosine distance `1 - cos(point, its centroid)`. */
  readonly inertia: number;
  /** Lloyd iterations of the winning restart. */
  readonly iterations: number;
}

/** Row-normalised float64 copy (zero rows stay zero). */
export function normalizedRows(vectors: Float32Array, n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += (vectors[i * d + j] as number) ** 2;
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let j = 0; j < d; j++) x[i * d + j] = (vectors[i * d + j] as number) * inv;
  }
  return x;
}

function rowDot(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  const ao = ai * d;
  const bo = bi * d;
  for (let j = 0; j < d; j++) s += (a[ao + j] as number) * (b[bo + j] as number);
  return s;
}

/** k-means++ on cosine distance: each next seed is drawn with probability proportional to D^2. */
function seedPlusPlus(x: Float64Array, n: number, d: number, k: number, rng: SeededRng): Float64Array {
  const c = new Float64Array(k * d);
  const dist = new Float64Array(n);
  const first = rng.int(n);
  c.set(x.subarray(first * d, first * d + d), 0);
  for (let i = 0; i < n; i++) dist[i] = (1 - rowDot(x, i, c, 0, d)) ** 2;
  for (let m = 1; m < k; m++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += dist[i] as number;
    let pick = 0;
    if (total > 0) {
      let r = rng.next() * total;
      pick = n - 1;
      for (let i = 0; i < n; i++) {
        r -= dist[i] as number;
        if (r < 0) {
          pick = i;
          break;
        }
      }
    } else pick = rng.int(n);
    c.set(x.subarray(pick * d, pick * d + d), m * d);
    for (let i = 0; i < n; i++) {
      const dd = (1 - rowDot(x, i, c, m, d)) ** 2;
      if (dd < (dist[i] as number)) dist[i] = dd;
    }
  }
  return c;
}

function normalizeCentroid(c: Float64Array, m: number, d: number): void {
  let sq = 0;
  for (let j = 0; j < d; j++) sq += (c[m * d + j] as number) ** 2;
  if (sq === 0) return;
  const inv = 1 / Math.sqrt(sq);
  for (let j = 0; j < d; j++) c[m * d + j] = (c[m * d + j] as number) * inv;
}

interface RunResult {
  centroids: Float64Array;
  assignments: Int32Array;
  inertia: number;
  iterations: number;
}

function assign(x: Float64Array, n: number, d: number, c: Float64Array, k: number, out: Int32Array, sims: Float64Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestSim = -Infinity;
    for (let m = 0; m < k; m++) {
      const s = rowDot(x, i, c, m, d);
      if (s > bestSim) {
        bestSim = s;
        best = m;
      }
    }
    out[i] = best;
    sims[i] = bestSim;
    inertia += 1 - bestSim;
  }
  return inertia;
}

function lloyd(x: Float64Array, n: number, d: number, k: number, rng: SeededRng, maxIter: number, tol: number): RunResult {
  const c = seedPlusPlus(x, n, d, k, rng);
  const assignments = new Int32Array(n);
  const sims = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let inertia = assign(x, n, d, c, k, assignments, sims);
  let iterations = 0;
  while (iterations < maxIter) {
    iterations++;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const m = assignments[i] as number;
      counts[m]!++;
      for (let j = 0; j < d; j++) sums[m * d + j] = (sums[m * d + j] as number) + (x[i * d + j] as number);
    }
    let maxShift = 0;
    const taken = new Uint8Array(n);
    for (let m = 0; m < k; m++) {
      if ((counts[m] as number) === 0) {
        // Empty cluster: move it onto the worst-served point (lowest similarity, lowest index on ties).
        let worst = -1;
        let worstSim = Infinity;
        for (let i = 0; i < n; i++) {
          if (taken[i] === 0 && (sims[i] as number) < worstSim) {
            worstSim = sims[i] as number;
            worst = i;
          }
        }
        if (worst >= 0) {
          taken[worst] = 1;
          sums.set(x.subarray(worst * d, worst * d + d), m * d);
          sims[worst] = 1;
        }
      }
      normalizeCentroid(sums, m, d);
      const shift = 1 - rowDot(sums, m, c, m, d);
      if (shift > maxShift) maxShift = shift;
    }
    c.set(sums);
    inertia = assign(x, n, d, c, k, assignments, sims);
    if (maxShift <= tol) break;
  }
  return { centroids: c, assignments, inertia, iterations };
}

/**
 * Spherical k-means (cosine similarity; centroids are renormalised means) with k-means++ seeding
 * on the cosine distance, run `restarts` times from one seeded RNG; the lowest inertia wins.
 * Input rows need not be normalised (they are normalised internally; zero rows stay zero).
 * Deterministic for a given seed. `k` is clamped to `[1, n]`.
 */
export function kmeans(vectors: Float32Array, n: number, d: number, k: number, options: KMeansOptions): KMeansResult {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1 || vectors.length < n * d) {
    throw new RangeError(`kmeans needs n >= 1 rows of d >= 1 values (got n=${n}, d=${d}, ${vectors.length} values)`);
  }
  const kk = Math.max(1, Math.min(n, Math.floor(k)));
  const x = normalizedRows(vectors, n, d);
  const rng = createSeededRng(options.seed);
  const restarts = Math.max(1, options.restarts ?? 3);
  let best: RunResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(x, n, d, kk, rng, options.maxIter ?? 100, options.tol ?? 1e-6);
    if (best === undefined || run.inertia < best.inertia) best = run;
  }
  const winner = best as RunResult;
  return {
    centroids: Float32Array.from(winner.centroids),
    assignments: winner.assignments,
    inertia: winner.inertia,
    iterations: winner.iterations,
  };
}
