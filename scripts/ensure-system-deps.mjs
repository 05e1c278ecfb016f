#!/usr/bin/env node
// Before the tests: makes sure the system programs they drive are installed (Chromium for the
// browser tests, ngircd for the IRC channel tests, iproute2 for the mDNS tests), installing the missing ones with apt-get and
// saying so, so `npm test` works on a fresh Debian machine with only Node and npm. It also checks
// that better-sqlite3's native module (built from source by `npm ci`) loads, rebuilding it once if
// not (the build needs python3, make and g++, installed here the same way when missing).
// OPENCLAW_SKIP_SYSTEM_DEPS=1 skips it; a machine without apt-get gets one clear line per program.
// Run with `node --import tsx`: Chromium is looked for by the gateway's own finder (the known paths).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const { findChromium } = await import('../server/browser/chromium-executable.js');

/** Program → whether the tests will find it, and the Debian package that provides it. */
const NEEDED = [
  { name: 'chromium', present: () => findChromium().found, pkg: 'chromium' },
  { name: 'ngircd', present: () => ['/usr/sbin/ngircd', '/usr/bin/ngircd'].some((p) => existsSync(p)), pkg: 'ngircd' },
  // `ip` builds the veth pair of the mDNS discovery tests (in a private network namespace).
  { name: 'ip', present: () => ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((p) => existsSync(p)), pkg: 'iproute2' },
];
/** What node-gyp needs to build better-sqlite3 when its native module is missing. */
const BUILD_TOOLS = [
  { name: 'python3', paths: ['/usr/bin/python3'], pkg: 'python3' },
  { name: 'make', paths: ['/usr/bin/make'], pkg: 'make' },
  { name: 'g++', paths: ['/usr/bin/g++'], pkg: 'g++' },
];

if (process.env.OPENCLAW_SKIP_SYSTEM_DEPS === '1') process.exit(0);

const sqliteLoads = () => spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { stdio: 'ignore' }).status === 0;
const sqliteOk = sqliteLoads();
const missing = NEEDED.filter((n) => !n.present());
if (!sqliteOk) missing.push(...BUILD_TOOLS.filter((n) => !n.paths.some((p) => existsSync(p))));
if (missing.length === 0 && sqliteOk) process.exit(0);
if (missing.length === 0) rebuildSqlite();

const names = missing.map((m) => m.name).join(', ');
const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!hasAptGet) {
  console.warn(`[ensure-system-deps] missing ${names} and apt-get is not available: the tests that need them will fail; install ${missing.map((m) => m.pkg).join(' ')} yourself.`);
  process.exit(0);
}
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !root && spawnSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : [];
if (!root && sudo.length === 0) {
  console.warn(`[ensure-system-deps] missing ${names}; run as root or install ${missing.map((m) => m.pkg).join(' ')} with apt-get.`);
  process.exit(0);
}
console.log(`[ensure-system-deps] installing ${missing.map((m) => m.pkg).join(' ')} with apt-get (needed by the tests) …`);
const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
});
try {
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing.map((m) => m.pkg)]);
} catch (error) {
  console.warn(`[ensure-system-deps] apt-get failed (${error.message}); the tests that need ${names} will fail.`);
}

if (!sqliteOk) rebuildSqlite();

function rebuildSqlite() {
  console.log('[ensure-system-deps] better-sqlite3 does not load: rebuilding it from source (npm rebuild better-sqlite3, about two minutes) …');
  const result = spawnSync('npm', ['rebuild', 'better-sqlite3'], { stdio: 'inherit' });
  if (result.status !== 0 || !sqliteLoads()) console.warn('[ensure-system-deps] better-sqlite3 still does not load; the memory tests will fail (it needs python3, make and g++).');
  process.exit(0);
}
