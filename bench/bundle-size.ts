// Bundle size of the two client SDKs as a browser app would ship them: esbuild, minified, ESM,
// then gzip -9. The browser client has a 4 KB (gzipped) budget, the Control UI (script and
// stylesheet, as the gateway serves them) 150 KB; exits 1 when one is over.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { BenchResult } from './bench-result.js';
import { buildControlUi } from '../scripts/build-ui.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BROWSER_BUDGET_BYTES = 4 * 1024;
export const CONTROL_UI_BUDGET_BYTES = 150 * 1024;

export interface BundleSize {
  readonly name: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** Source files that ended up in the bundle (to prove no validation library ships). */
  readonly inputs: readonly string[];
}

async function measure(name: string, entry: string, exportsLine: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: exportsLine, resolveDir: root, sourcefile: `${name}-entry.ts`, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    // Node's `ws` is loaded only under Node (dynamic import); browsers use the native WebSocket.
    external: ['ws'],
    logLevel: 'warning',
    metafile: true,
  });
  const code = result.outputFiles[0]!.contents;
  void entry;
  const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
  return { name, minifiedBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, inputs };
}

export async function measureClientBundles(): Promise<BundleSize[]> {
  return [
    await measure(
      'BrowserGatewayClient',
      'clients/browser-gateway-client.ts',
      "export { BrowserGatewayClient, getBrowserGatewayClient } from './clients/browser-gateway-client.ts';",
    ),
    await measure(
      'Browser + chat stream',
      'clients/browser-chat-stream.ts',
      "export { BrowserGatewayClient, getBrowserGatewayClient } from './clients/browser-gateway-client.ts';\nexport { streamBrowserChat } from './clients/browser-chat-stream.ts';",
    ),
    await measure(
      'OpenClawClient',
      'clients/openclaw-client.ts',
      "export { OpenClawClient, getOpenClawClient } from './clients/openclaw-client.ts';",
    ),
  ];
}

/** The Control UI as `npm run build` makes it (into a temp folder): what its page loads. */
export async function measureControlUi(): Promise<BundleSize> {
  const outDir = mkdtempSync(join(tmpdir(), 'openclaw-ui-size-'));
  try {
    const built = await buildControlUi({ outDir });
    return { name: 'Control UI', minifiedBytes: built.shippedBytes, gzipBytes: built.shippedGzipBytes, inputs: built.inputs };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** For `npm run bench`: both clients' gzipped sizes and the Control UI's, each against its budget. */
export async function run(): Promise<BenchResult[]> {
  const sizes = await measureClientBundles();
  const ui = await measureControlUi();
  const kbOf = (bytes: number) => Math.round((bytes / 1024) * 100) / 100;
  return [
    ...sizes.map((s, i) => ({
      name: `${s.name} bundle (esbuild minified, gzip -9)`,
      value: kbOf(s.gzipBytes),
      unit: 'KB',
      ...(i === 0 ? { target: `≤ ${BROWSER_BUDGET_BYTES / 1024} KB`, pass: s.gzipBytes <= BROWSER_BUDGET_BYTES } : {}),
    })),
    { name: 'Control UI script + stylesheet (minified, gzip -9)', value: kbOf(ui.gzipBytes), unit: 'KB', target: `≤ ${CONTROL_UI_BUDGET_BYTES / 1024} KB`, pass: ui.gzipBytes <= CONTROL_UI_BUDGET_BYTES },
  ];
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;

async function main(): Promise<void> {
  const sizes = await measureClientBundles();
  for (const s of sizes) console.log(`${s.name.padEnd(22)} minified ${kb(s.minifiedBytes).padStart(9)}   gzip ${kb(s.gzipBytes).padStart(8)}`);
  const browser = sizes[0]!;
  const within = browser.gzipBytes <= BROWSER_BUDGET_BYTES;
  console.log(`BrowserGatewayClient budget ${kb(BROWSER_BUDGET_BYTES)} gzip: ${within ? 'within' : 'OVER'} (${kb(browser.gzipBytes)})`);
  const ui = await measureControlUi();
  const uiWithin = ui.gzipBytes <= CONTROL_UI_BUDGET_BYTES;
  console.log(`${ui.name.padEnd(22)} minified ${kb(ui.minifiedBytes).padStart(9)}   gzip ${kb(ui.gzipBytes).padStart(8)}   budget ${kb(CONTROL_UI_BUDGET_BYTES)}: ${uiWithin ? 'within' : 'OVER'}`);
  if (!within || !uiWithin) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
