/**
 * One training/evaluation example: a prompt and how well each model answered it.
 * On disk: JSON Lines (plain or .gz), one record a line.
 */
export interface DatasetRecord {
  readonly id: string;
  /** The prompt: plain text, or chat messages whose last user turn is routed on. */
  readonly prompt: string;
  readonly task?: string;
  readonly split?: 'train' | 'test';
  /** Score per model, in [0, 1] (1 = fully correct). */
  readonly scores: Readonly<Record<string, number>>;
  /** Measured cost per model in USD for this prompt, when known; otherwise prices x tokens. */
  readonly costs?: Readonly<Record<string, number>>;
}

/** Prices in USD per million tokens, per model. */
export type PriceTable = Readonly<Record<string, { readonly input_per_mtok: number; readonly output_per_mtok: number }>>;
