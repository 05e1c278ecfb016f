// Types of scripts/build-ui.mjs for the tests and benchmarks that call it.
export declare const CONTROL_UI_OUT_DIR: string;

export interface ControlUiBuild {
  readonly outDir: string;
  /** File names in assets/ that index.html loads. */
  readonly script: string;
  readonly style: string;
  /** Bytes the page loads (script + stylesheet), minified, and gzipped at level 9. */
  readonly shippedBytes: number;
  readonly shippedGzipBytes: number;
  /** Source files bundled (to prove no validation library ships). */
  readonly inputs: readonly string[];
}

export declare function buildControlUi(options?: { outDir?: string; minify?: boolean }): Promise<ControlUiBuild>;
