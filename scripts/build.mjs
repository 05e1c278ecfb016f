// Bundles the CLI into dist/openclaw.mjs: one file loads far faster than hundreds of modules,
// which is most of the gateway's start-up time.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
await build({
  entryPoints: [join(root, 'server/cli.ts')],
  outfile: join(root, 'dist/openclaw.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // A third less source to read and compile at start-up; identifiers stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Native modules load their .node / .so files from node_modules: never bundled.
  external: ['better-sqlite3', 'sqlite-vec', 'sqlite-vec-*'],
  banner: {
    js: "import { createRequire as __ocCreateRequire } from 'node:module'; const require = __ocCreateRequire(import.meta.url);",
  },
});
console.log(`built dist/openclaw.mjs in ${Date.now() - started} ms`);
