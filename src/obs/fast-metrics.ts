import type { Aggregator, Metric, Registry } from 'prom-client';

/** A label set's handle on a {@link FastCounter}: `inc` is a field update, no label hashing. */
export interface FastCounterChild {
  inc(value?: number): void;
}

/** A label set's handle on a {@link FastHistogram}. */
export interface FastHistogramChild {
  observe(value: number): void;
}

interface Config<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  readonly registers: readonly Registry[];
}

type Labels = Record<string, string | number>;

/** One exported value, in the shape prom-client's own metrics give their registry. */
interface ExportedValue {
  value: number;
  labels: Labels;
  sharedLabels?: Labels;
  metricName?: string;
  exemplar?: null;
}

interface Exported {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: ExportedValue[];
  aggregator: Aggregator;
}

/** What the two kinds share: identity, label names, and the children found per label set. */
abstract class FastMetric<L extends string, C> {
  readonly aggregator: Aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  protected readonly labelNames: readonly L[];
  protected readonly children: ChildTree<C> = new Map();

  constructor(config: Config<L>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames ?? [];
  }

  /**
   * The child for these label values, in `labelNames` order. Children are kept in one Map per
   * label, keyed by the values as given: a call with the same values finds its child without
   * building a key string (a number's label text is made once, when its child is).
   */
  protected child(values: ReadonlyArray<string | number>): C {
    checkCount(this.name, this.labelNames, values);
    return childOf(this.children, values, this);
  }

  /** A new child for a label set not seen before (its values as label text). */
  abstract makeChild(values: readonly string[]): C;

  // The registry takes any object with a `name`, `get()` (and `getForPromString()` when there is
  // one) and `reset()`: that is all it calls, to scrape, to export for the cluster's aggregation
  // and to reset. Its type names only prom-client's own classes.
  protected registerIn(registers: readonly Registry[]): void {
    for (const registry of registers) registry.registerMetric(this as unknown as Metric);
  }
}

/**
 * A prom-client counter's contract (exposition, cluster aggregation, `reset`) with a hot path of
 * its own: prom-client hashes and validates the label object on every `inc`, also through a
 * `labels()` child, which cost the gateway several microseconds a request over its ~8 metric
 * updates (docs/benchmarks.md, session 16). A child here is resolved once per label set and
 * increments a number. The registry reads it through `get()`, as it reads prom-client's metrics,
 * so the scrape text and `getMetricsAsJSON` are the same as prom-client's for the same counts.
 */
export class FastCounter<L extends string = string> extends FastMetric<L, FastCounterChild> {
  readonly type = 'counter' as const;
  private readonly cells = new Map<string, { value: number; labels: Labels }>();

  constructor(config: Config<L>) {
    super(config);
    this.reset();
    this.registerIn(config.registers);
  }

  /** The child for these label values, in `labelNames` order (see {@link FastMetric.child}). */
  labels(...values: ReadonlyArray<string | number>): FastCounterChild {
    return this.child(values);
  }

  makeChild(values: readonly string[]): FastCounterChild {
    const cell = this.cell(values);
    return {
      inc(value = 1) {
        cell.value += checkedIncrement(value);
      },
    };
  }

  /** Increments the counter of a metric without labels. */
  inc(value = 1): void {
    if (this.labelNames.length > 0) throw new Error(`${this.name} has labels: increment it through labels()`);
    this.cell([]).value += checkedIncrement(value);
  }

  reset(): void {
    // Children hold their cell: they go with it.
    this.children.clear();
    this.cells.clear();
    if (this.labelNames.length === 0) this.cells.set('', { value: 0, labels: {} });
  }

  get(): Promise<Exported> {
    return Promise.resolve({ help: this.help, name: this.name, type: this.type, values: [...this.cells.values()].map((c) => ({ value: c.value, labels: c.labels })), aggregator: this.aggregator });
  }

  private cell(values: readonly string[]): { value: number; labels: Labels } {
    const key = labelKey(this.name, this.labelNames, values);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { value: 0, labels: labelObject(this.labelNames, values) };
      this.cells.set(key, cell);
    }
    return cell;
  }
}

interface HistogramCell {
  readonly labels: Labels;
  /** Observations per bucket (not cumulative), then the +Inf overflow. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A prom-client histogram's contract with a child per label set; see {@link FastCounter}. */
export class FastHistogram<L extends string = string> extends FastMetric<L, FastHistogramChild> {
  readonly type = 'histogram' as const;
  private readonly upperBounds: readonly number[];
  private readonly cells = new Map<string, HistogramCell>();

  constructor(config: Config<L> & { readonly buckets: readonly number[] }) {
    super(config);
    for (let i = 1; i < config.buckets.length; i++) {
      if (!((config.buckets[i] as number) > (config.buckets[i - 1] as number))) throw new Error(`${this.name}: buckets must increase`);
    }
    this.upperBounds = [...config.buckets];
    if (this.labelNames.length === 0) this.cells.set('', this.newCell({}));
    this.registerIn(config.registers);
  }

  /** The child for these label values, in `labelNames` order (see {@link FastMetric.child}). */
  labels(...values: ReadonlyArray<string | number>): FastHistogramChild {
    return this.child(values);
  }

  makeChild(values: readonly string[]): FastHistogramChild {
    const key = labelKey(this.name, this.labelNames, values);
    const labels = labelObject(this.labelNames, values);
    // The cell is looked up per observation, not held: `reset` replaces the cells.
    return { observe: (value) => this.record(key, labels, value) };
  }

  /** Observes a value of a metric without labels. */
  observe(value: number): void {
    if (this.labelNames.length > 0) throw new Error(`${this.name} has labels: observe through labels()`);
    this.record('', {}, value);
  }

  /** Forgets every series; like prom-client's, a histogram without labels exports nothing until observed again. */
  reset(): void {
    this.cells.clear();
  }

  /** The values with each series' own labels apart (`sharedLabels`), which is how the registry orders them in its text. */
  getForPromString(): Promise<Exported> {
    const values: ExportedValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += cell.counts[i] as number;
        values.push({ value: cumulative, labels: { le: this.upperBounds[i] as number }, sharedLabels: cell.labels, metricName: bucketName, exemplar: null });
      }
      values.push({ value: cell.count, labels: { le: '+Inf' }, sharedLabels: cell.labels, metricName: bucketName, exemplar: null });
      values.push({ value: cell.sum, labels: {}, sharedLabels: cell.labels, metricName: `${this.name}_sum` });
      values.push({ value: cell.count, labels: {}, sharedLabels: cell.labels, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** The values with every label in `labels` (what `getMetricsAsJSON` and the cluster's aggregation read). */
  async get(): Promise<Exported> {
    const data = await this.getForPromString();
    for (const v of data.values) {
      v.labels = Object.assign({}, v.labels, v.sharedLabels);
      delete v.sharedLabels;
    }
    return data;
  }

  private record(key: string, labels: Labels, value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`${this.name}: value is not a valid number: ${String(value)}`);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = this.newCell(labels);
      this.cells.set(key, cell);
    }
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    cell.counts[i] = (cell.counts[i] as number) + 1;
    cell.sum += value;
    cell.count += 1;
  }

  private newCell(labels: Labels): HistogramCell {
    return { labels, counts: new Float64Array(this.upperBounds.length + 1), sum: 0, count: 0 };
  }
}

/** One level per label: a label's value, then the next level, the last holding the child. */
type ChildTree<C> = Map<string | number, ChildTree<C> | C>;

function childOf<C>(tree: ChildTree<C>, values: ReadonlyArray<string | number>, metric: { makeChild(values: readonly string[]): C }): C {
  let node = tree;
  // A metric without labels keeps its one child under ''.
  const last = values.length - 1;
  for (let i = 0; i < last; i++) {
    const value = values[i] as string | number;
    let next = node.get(value) as ChildTree<C> | undefined;
    if (next === undefined) {
      next = new Map();
      node.set(value, next);
    }
    node = next;
  }
  const leaf = last < 0 ? '' : (values[last] as string | number);
  let child = node.get(leaf) as C | undefined;
  if (child === undefined) {
    child = metric.makeChild(values.map(String));
    node.set(leaf, child);
  }
  return child;
}

function checkedIncrement(value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`counter increment must be a finite number >= 0, got ${String(value)}`);
  return value;
}

function checkCount(name: string, labelNames: readonly string[], values: ReadonlyArray<unknown>): void {
  if (values.length !== labelNames.length) throw new Error(`${name}: expected ${labelNames.length} label values, got ${values.length}`);
}

function labelKey(name: string, labelNames: readonly string[], values: readonly string[]): string {
  checkCount(name, labelNames, values);
  return values.join('\u0000');
}

function labelObject(labelNames: readonly string[], values: readonly string[]): Labels {
  const labels: Labels = {};
  for (let i = 0; i < labelNames.length; i++) labels[labelNames[i] as string] = values[i] as string;
  return labels;
}
