#!/usr/bin/env node
// Runs the bundled CLI. In a source checkout the bundle is rebuilt first when any source is newer
// than it, so `npm start` never runs stale code; an installed package has no sources and skips this.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'openclaw.mjs');
const SOURCE_DIRS = ['server', 'contract', 'generated', 'clients'];

function newestSource(dirs = SOURCE_DIRS) {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(ts|json|css|html)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) if (existsSync(join(root, dir))) visit(join(root, dir));
  return newest;
}

const checkout = existsSync(join(root, 'server', 'cli.ts')) && existsSync(join(root, 'scripts', 'build.mjs'));
if (checkout && process.env.OPENCLAW_SKIP_REBUILD !== '1') {
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  if (newestSource() > built) {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--cli'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) {
      process.stderr.write('openclaw: the sources changed and rebuilding dist/openclaw.mjs failed (see above); fix the build or run `npm run build`\n');
      process.exit(1);
    }
  }
  // The Control UI is its own bundle; a failed rebuild leaves the last one served, so it only warns.
  const uiIndex = join(root, 'dist', 'control-ui', 'index.html');
  const uiBuilt = existsSync(uiIndex) ? statSync(uiIndex).mtimeMs : 0;
  if (existsSync(join(root, 'ui')) && newestSource(['ui', 'clients', 'generated']) > uiBuilt) {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--ui'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) process.stderr.write('openclaw: rebuilding the control UI (dist/control-ui) failed (see above); run `npm run build`\n');
  }
}
await import(pathToFileURL(bundle).href);
