#!/usr/bin/env node
// Before the tests: makes sure the system programs they drive are installed (Chromium for the
// browser tests, ngircd for the IRC channel tests), installing the missing ones with apt-get and
// saying so, so `npm test` works on a fresh Debian machine with only Node and npm.
// OPENCLAW_SKIP_SYSTEM_DEPS=1 skips it; a machine without apt-get gets one clear line per program.
// Run with `node --import tsx`: Chromium is looked for by the gateway's own finder (the known paths).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const { findChromium } = await import('../server/browser/chromium-executable.js');

/** Program → whether the tests will find it, and the Debian package that provides it. */
const NEEDED = [
  { name: 'chromium', present: () => findChromium().found, pkg: 'chromium' },
  { name: 'ngircd', present: () => ['/usr/sbin/ngircd', '/usr/bin/ngircd'].some((p) => existsSync(p)), pkg: 'ngircd' },
];

if (process.env.OPENCLAW_SKIP_SYSTEM_DEPS === '1') process.exit(0);

const missing = NEEDED.filter((n) => !n.present());
if (missing.length === 0) process.exit(0);

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
