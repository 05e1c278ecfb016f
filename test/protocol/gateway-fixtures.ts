// Gateways with one-off config for protocol tests, and a CLI child whose output the test can read.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeStateDir, startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeConfig(base: unknown, extra: unknown): unknown {
  if (!isObj(base) || !isObj(extra)) return extra;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = mergeConfig(base[k], v);
  return out;
}

/** An in-process gateway on a loopback port with TEST_CONFIG plus `extra`. */
export function startWith(extra: unknown): Promise<RunningGateway> {
  return startInProcess(mergeConfig(TEST_CONFIG, extra));
}

export const BIN = resolve(import.meta.dirname, '../../bin/openclaw.js');

export interface CliChild {
  readonly child: ChildProcess;
  readonly stateDir: string;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the ws:// URL once the gateway listens (rejects if it exits first). */
  readonly ready: Promise<string>;
  /** Resolves when stdout contains `text`. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCLAW_VALIDATE_CONTRACT: '1' };
  delete env.OPENCLAW_GATEWAY_TOKEN;
  delete env.OPENCLAW_CONFIG_PATH;
  delete env.OPENCLAW_STATE_DIR;
  delete env.OPENCLAW_GATEWAY_PORT;
  return { ...env, ...extra };
}

/** `openclaw gateway --port 0 --state-dir <dir> ...args` as a child process. */
export function spawnCli(options: { stateDir?: string; config?: unknown; args?: string[]; env?: NodeJS.ProcessEnv } = {}): CliChild {
  const stateDir = options.stateDir ?? makeStateDir(options.config === undefined ? TEST_CONFIG : options.config);
  const child = spawn(process.execPath, [BIN, 'gateway', '--port', '0', '--state-dir', stateDir, ...(options.args ?? [])], {
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const watchers: { test: (s: string) => boolean; resolve: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...watchers]) {
      if (!w.test(out)) continue;
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const waitForOutput = (text: string | RegExp, timeoutMs = 15_000): Promise<void> => {
    const test = (s: string): boolean => (typeof text === 'string' ? s.includes(text) : text.test(s));
    if (test(out)) return Promise.resolve();
    return new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${String(text)} in output within ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
      watchers.push({ test, resolve: () => (clearTimeout(timer), resolvePromise()) });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`gateway exited with ${code} before printing ${String(text)}:\n${out}\n${err}`));
      });
    });
  };
  const ready = waitForOutput(/listening on ws:\/\/\S+\n/).then(() => /listening on (ws:\/\/\S+)/.exec(out)![1]!);
  ready.catch(() => {});
  return {
    child,
    stateDir,
    stdout: () => out,
    stderr: () => err,
    ready,
    waitForOutput,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      return code;
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
