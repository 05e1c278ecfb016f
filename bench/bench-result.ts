/**
 * One measured number. Every bench/*.ts that exports `run(): Promise<BenchResult[]>` is picked up
 * by `npm run bench` (bench/run-all.ts) and shown in its summary table.
 */
export interface BenchResult {
  /** What was measured, e.g. "rpc throughput (50 in flight)". */
  readonly name: string;
  readonly value: number;
  /** Unit of `value` and `baseline`, e.g. "req/s", "ms", "MB". */
  readonly unit: string;
  /** The target in words, e.g. "≥ 50 % of raw ws" or "≤ 500 ms". */
  readonly target?: string;
  /** The same measurement against the reference implementation, when there is one. */
  readonly baseline?: number;
  /** Whether `value` meets `target`; absent when there is no target. */
  readonly pass?: boolean;
}

/** A bench module as run-all sees it. */
export interface BenchModule {
  run(): Promise<BenchResult[]>;
}
