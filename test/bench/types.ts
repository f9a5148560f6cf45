/**
 * One line of the bench table. `result` is what a reader sees; `values` are the raw numbers for
 * test-results/bench.json, so later runs can be compared by a script.
 */
export interface Row {
  section: string;
  /** What was measured, e.g. `hookline (diagnostics full)` or `bare node:http`. */
  label: string;
  result: string;
  values: Record<string, number | string | boolean>;
  /** Hookline against the baseline measured in the same run (e.g. 0.72 = 72 % of the bare server). */
  ratio?: number;
  /** Target in words, printed next to the figure (`>= 0.6x bare`). */
  target?: string;
  /** Whether the target is met; never fails the run, the bench only reports. */
  met?: boolean;
  note?: string;
}

/** A bench section: add a module under sections/ and list it in run.ts. */
export interface Section {
  name: string;
  description: string;
  run(): Promise<Row[]>;
}
