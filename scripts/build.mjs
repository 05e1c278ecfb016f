// Bundles the CLI into dist/openclaw.mjs plus shared chunks in dist/chunks (a few files load far
// faster than hundreds of modules, which is most of the gateway's start-up time; split so that a
// client command such as `openclaw --version` reads only its own code, not the gateway's), then compiles the SDK entries (client, browser,
// proxy, contract) to ESM with declarations in dist/lib for the package's exports map.
// `--cli` builds only the CLI bundle (what `npm start` needs after a source change).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const result = await build({
  entryPoints: { openclaw: join(root, 'server/cli.ts') },
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  // Each lazily imported command (and the gateway) in chunks of its own, loaded when it runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
  // Loaded from node_modules: playwright-core only when an agent first uses the browser; native
  // modules load their .node / .so files from there and are never bundled.
  external: ['playwright-core', 'better-sqlite3', 'sqlite-vec', 'sqlite-vec-*'],
  banner: {
    js: "import { createRequire as __ocCreateRequire } from 'node:module'; const require = __ocCreateRequire(import.meta.url);",
  },
  // Written below, each file through a temp file and a rename: a CLI starting while a rebuild runs
  // (bin/openclaw.js rebuilds stale bundles) reads the old bundle or the new one, never half of one.
  write: false,
});
const entry = join(root, 'dist', 'openclaw.mjs');
const chunksDir = join(root, 'dist', 'chunks');
mkdirSync(chunksDir, { recursive: true });
// Chunks first (content-hashed names, so old ones stay intact), the entry that names them last.
const outputs = [...result.outputFiles].sort((a, b) => Number(a.path.startsWith(entry)) - Number(b.path.startsWith(entry)));
for (const file of outputs) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
// Chunks of earlier builds: a gateway started from one may still load it lazily, so only day-old ones go.
const current = new Set(result.outputFiles.map((f) => f.path));
for (const name of readdirSync(chunksDir)) {
  const path = join(chunksDir, name);
  if (!current.has(path) && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { force: true });
}
console.log(`built dist/openclaw.mjs in ${Date.now() - started} ms`);

if (!process.argv.includes('--cli')) {
  const libStarted = Date.now();
  rmSync(join(root, 'dist/lib'), { recursive: true, force: true });
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });
  console.log(`built the SDK (dist/lib) in ${Date.now() - libStarted} ms`);
}
