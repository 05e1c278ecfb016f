// Runs `openclaw <args>` as a child process (the real bin and bundle) and collects what it wrote.
// Asynchronous on purpose: the fake model server lives in the test process and must keep answering.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { spawnInPty, type PtySession } from './pty-session.js';

export const OPENCLAW_BIN = resolve(import.meta.dirname, '../../bin/openclaw.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  /** The state dir the CLI looks in (OPENCLAW_STATE_DIR); it finds the gateway there by its lock. */
  readonly stateDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to stdin, then stdin is closed. */
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** The environment of a CLI run: none of the developer's OPENCLAW_* settings leak in. */
export function cliEnv(options: Pick<CliRunOptions, 'stateDir' | 'env'> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OPENCLAW_') || key === 'NO_COLOR' || key === 'FORCE_COLOR') delete env[key];
  if (options.stateDir) env.OPENCLAW_STATE_DIR = options.stateDir;
  return { ...env, ...options.env };
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** What it wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when it exited and its pipes are drained. */
  readonly result: Promise<CliResult>;
}

/** `openclaw <args>` left running, for commands the test interrupts (SIGINT) or follows. */
export function startCliProcess(args: readonly string[], options: CliRunOptions = {}): CliProcess {
  const child = spawn(process.execPath, [OPENCLAW_BIN, ...args], { env: cliEnv(options), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (options.input !== undefined) child.stdin!.end(options.input);
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openclaw ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    // 'close' comes once the process exited and its pipes are drained.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, result };
}

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  return startCliProcess(args, { ...options, input: options.input ?? '' }).result;
}

/** The one JSON document a `--json` run printed on stdout. */
export function jsonOf<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** `openclaw <args>` in a pseudo-terminal (for prompts, spinners and Ctrl-C as a keystroke). */
export function startCliInPty(args: readonly string[], options: Pick<CliRunOptions, 'stateDir' | 'env'> = {}): PtySession {
  return spawnInPty([process.execPath, OPENCLAW_BIN, ...args], cliEnv(options));
}
