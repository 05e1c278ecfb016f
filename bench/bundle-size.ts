// Bundle size of the two client SDKs as a browser app would ship them: esbuild, minified, ESM,
// then gzip -9. The browser client has a 4 KB (gzipped) budget; exits 1 when it is over.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './bench-result.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BROWSER_BUDGET_BYTES = 4 * 1024;

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

/** For `npm run bench`: both clients' gzipped sizes, the browser client against its budget. */
export async function run(): Promise<BenchResult[]> {
  const sizes = await measureClientBundles();
  return sizes.map((s, i) => ({
    name: `${s.name} bundle (esbuild minified, gzip -9)`,
    value: Math.round((s.gzipBytes / 1024) * 100) / 100,
    unit: 'KB',
    ...(i === 0 ? { target: `≤ ${BROWSER_BUDGET_BYTES / 1024} KB`, pass: s.gzipBytes <= BROWSER_BUDGET_BYTES } : {}),
  }));
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;

async function main(): Promise<void> {
  const sizes = await measureClientBundles();
  for (const s of sizes) console.log(`${s.name.padEnd(22)} minified ${kb(s.minifiedBytes).padStart(9)}   gzip ${kb(s.gzipBytes).padStart(8)}`);
  const browser = sizes[0]!;
  const within = browser.gzipBytes <= BROWSER_BUDGET_BYTES;
  console.log(`BrowserGatewayClient budget ${kb(BROWSER_BUDGET_BYTES)} gzip: ${within ? 'within' : 'OVER'} (${kb(browser.gzipBytes)})`);
  if (!within) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
