// Builds the Control UI (ui/) with esbuild into dist/control-ui: content-hashed scripts and styles
// in assets/, and index.html naming them. Assets are written first and index.html last (through a
// rename), so a gateway serving the folder during a rebuild never names a file that is not there.
// Run alone: `node scripts/build-ui.mjs [outDir]`; scripts/build.mjs calls it too.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CONTROL_UI_OUT_DIR = join(root, 'dist', 'control-ui');

/**
 * @param {{ outDir?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outDir: string, script: string, style: string, shippedBytes: number, shippedGzipBytes: number, inputs: string[] }>}
 */
export async function buildControlUi(options = {}) {
  const outDir = options.outDir ?? CONTROL_UI_OUT_DIR;
  const assetsDir = join(outDir, 'assets');
  const result = await build({
    entryPoints: [join(root, 'ui/src/main.ts')],
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
    tsconfig: join(root, 'ui/tsconfig.json'),
    minify: options.minify ?? true,
    sourcemap: 'linked',
    // Names and positions only: the package ships the maps, not a second copy of every source.
    sourcesContent: false,
    legalComments: 'linked',
    // The SDK imports `ws` only under Node; in the page the native WebSocket is used.
    external: ['ws'],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(assetsDir, { recursive: true });
  const written = new Set();
  let script = '';
  let style = '';
  let shippedBytes = 0;
  let shippedGzipBytes = 0;
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    writeFileSync(join(assetsDir, name), file.contents);
    written.add(name);
    if (name.endsWith('.js') || name.endsWith('.css')) {
      shippedBytes += file.contents.byteLength;
      shippedGzipBytes += gzipSync(file.contents, { level: 9 }).byteLength;
      if (name.endsWith('.js')) script = name;
      else style = name;
    }
  }
  if (!script || !style) throw new Error('control UI build: expected one script and one stylesheet');
  const template = readFileSync(join(root, 'ui/index.html'), 'utf8');
  const html = template.replace('%SCRIPT%', `/assets/${script}`).replace('%STYLE%', `/assets/${style}`);
  const tmp = join(outDir, `index.html.${process.pid}.tmp`);
  writeFileSync(tmp, html);
  renameSync(tmp, join(outDir, 'index.html'));
  for (const stale of readdirSync(assetsDir)) if (!written.has(stale)) rmSync(join(assetsDir, stale), { force: true });
  const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
  return { outDir, script, style, shippedBytes, shippedGzipBytes, inputs: [...new Set(inputs)] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const out = await buildControlUi(process.argv[2] ? { outDir: process.argv[2] } : {});
  console.log(`built the control UI (${(out.shippedGzipBytes / 1024).toFixed(1)} KB gzipped) in ${Date.now() - started} ms`);
}
