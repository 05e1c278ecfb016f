// A real upstream OpenClaw gateway (the `openclaw` npm package) for the compatibility suite. It
// needs Node 24, which the `node@24` npm package provides; both are installed once into a cache
// outside the repository (never into the project's dependencies) and reused by later runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** The upstream release the suite was written against (protocol 4). */
export const UPSTREAM_VERSION = '2026.9.6';
const NODE_SPEC = 'node@24';
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const LOCK_STALE_MS = 20 * 60_000;

export interface UpstreamInstall {
  readonly node: string;
  readonly entry: string;
  readonly version: string;
}

export type UpstreamAvailability = { readonly ok: true; readonly install: UpstreamInstall } | { readonly ok: false; readonly reason: string };

export function upstreamCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPENCLAW_UPSTREAM_CACHE || join(homedir(), '.cache', 'openclaw-upstream');
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: String(error) });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** An npm install into its own folder (a package.json of its own keeps npm from walking up into the repo). */
async function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'openclaw-upstream-cache', private: true }));
  const result = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', spec], { cwd: dir, env });
  return result.code === 0 ? undefined : `npm install ${spec} failed (exit ${result.code}): ${result.output.trim().split('\n').slice(-6).join(' | ')}`;
}

async function withLock<T>(dir: string, task: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.install-lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file (or run) is installing; a lock left by a killed run goes stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() - started > INSTALL_TIMEOUT_MS) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  try {
    return await task();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let pending: Promise<UpstreamAvailability> | undefined;

/**
 * Installs (once) and locates Node 24 and the upstream gateway. `OPENCLAW_UPSTREAM=0` skips it;
 * otherwise a failure is returned as a reason to print, never thrown.
 */
export function ensureUpstream(env: NodeJS.ProcessEnv = process.env): Promise<UpstreamAvailability> {
  pending ??= locate(env);
  return pending;
}

async function locate(env: NodeJS.ProcessEnv): Promise<UpstreamAvailability> {
  if (env.OPENCLAW_UPSTREAM === '0') return { ok: false, reason: 'OPENCLAW_UPSTREAM=0 is set' };
  const cache = upstreamCacheDir(env);
  const nodeDir = join(cache, 'node24');
  const gatewayDir = join(cache, `openclaw-${UPSTREAM_VERSION}`);
  const node = join(nodeDir, 'node_modules', 'node', 'bin', 'node');
  const entry = join(gatewayDir, 'node_modules', 'openclaw', 'openclaw.mjs');
  const marker = join(gatewayDir, '.installed');
  try {
    return await withLock(cache, async () => {
      const baseEnv: NodeJS.ProcessEnv = { ...env, npm_config_update_notifier: 'false' };
      for (const key of Object.keys(baseEnv)) if (key.startsWith('npm_lifecycle') || key === 'npm_config_prefix') delete baseEnv[key];
      if (!existsSync(node)) {
        const failed = await npmInstall(nodeDir, NODE_SPEC, baseEnv);
        if (failed || !existsSync(node)) return { ok: false, reason: failed ?? `${NODE_SPEC} installed no ${node}` };
      }
      if (!existsSync(marker) || !existsSync(entry)) {
        // openclaw's install scripts refuse Node < 24: run npm (and so its scripts) under Node 24.
        const withNode24: NodeJS.ProcessEnv = { ...baseEnv, PATH: `${dirname(node)}${delimiter}${baseEnv.PATH ?? ''}` };
        const failed = await npmInstall(gatewayDir, `openclaw@${UPSTREAM_VERSION}`, withNode24);
        if (failed || !existsSync(entry)) return { ok: false, reason: failed ?? `openclaw@${UPSTREAM_VERSION} installed no ${entry}` };
        writeFileSync(marker, new Date().toISOString());
      }
      const version = (JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8')) as { version: string }).version;
      return { ok: true, install: { node, entry, version } } as const;
    });
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningUpstream {
  readonly url: string;
  readonly httpUrl: string;
  readonly port: number;
  readonly token: string;
  readonly home: string;
  readonly child: ChildProcess;
  /** The gateway's console output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface UpstreamStartOptions {
  readonly token: string;
  /** Extra keys merged over the minimal config (gateway.mode local, loopback, token auth). */
  readonly config?: Record<string, unknown>;
  readonly startTimeoutMs?: number;
}

/** Starts the upstream gateway on a free loopback port with a temp HOME; resolves once it logs `ready`. */
export async function startUpstream(install: UpstreamInstall, options: UpstreamStartOptions): Promise<RunningUpstream> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'openclaw-upstream-home-'));
  const stateDir = join(home, '.openclaw');
  mkdirSync(stateDir, { recursive: true });
  const config = {
    gateway: { mode: 'local', bind: 'loopback', port, auth: { mode: 'token', token: options.token } },
    logging: { file: join(home, 'gateway.log') },
    ...options.config,
  };
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OPENCLAW_') && !key.startsWith('npm_') && !key.startsWith('VITEST') && !/_API_KEY$|_TOKEN$/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    PATH: `${dirname(install.node)}${delimiter}${process.env.PATH ?? ''}`,
    NODE_ENV: 'production',
    OPENCLAW_SKIP_CHANNELS: '1',
    OPENCLAW_DISABLE_BONJOUR: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    OPENCLAW_OFFLINE: '1',
    NO_COLOR: '1',
  });
  const child = spawn(install.node, [install.entry, 'gateway', 'run', '--port', String(port), '--bind', 'loopback'], {
    cwd: home,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  const timeoutMs = options.startTimeoutMs ?? 240_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`upstream gateway not ready within ${timeoutMs} ms:\n${output.slice(-4_000)}`)), timeoutMs);
    const onData = (): void => {
      if (/\[gateway\] ready\b/.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`upstream gateway exited with ${code}:\n${output.slice(-4_000)}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}`, port, token: options.token, home, child, output: () => output, stop };
}
