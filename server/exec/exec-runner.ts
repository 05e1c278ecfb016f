// Runs one command as a child in its own process group (bash -c, or an argv directly), so a
// timeout, an abort or the gateway stopping ends it and everything it started (grandchildren in
// the group included). Output is captured within bounds and handed out as it arrives. Shared with
// node hosts (system.run).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { OutputCapture } from './output-capture.js';

export interface RunSpec {
  /** `bash -c <shell>`, or `file` with `argv` (argv[0] is the name the program sees). */
  readonly shell?: string;
  readonly file?: string;
  readonly argv?: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxOutputChars: number;
  readonly signal?: AbortSignal;
  /** Decoded output as it arrives. */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
  /** After SIGTERM, how long before SIGKILL (default 1 s). */
  readonly killGraceMs?: number;
}

export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Characters cut from the middle of each stream. */
  readonly truncated: { readonly stdout: number; readonly stderr: number };
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly pid: number | undefined;
}

export interface RunningCommand {
  readonly pid: number | undefined;
  readonly startedAt: number;
  readonly done: Promise<RunResult>;
  /** Ends the whole process group (SIGTERM, then SIGKILL after the grace period). */
  kill(reason?: 'abort' | 'timeout' | 'shutdown'): void;
}

const BASH = ['/bin/bash', '/usr/bin/bash'].find((p) => existsSync(p)) ?? 'bash';

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

export function startCommand(spec: RunSpec): RunningCommand {
  const startedAt = performance.now();
  const file = spec.shell !== undefined ? BASH : spec.file!;
  const args = spec.shell !== undefined ? ['-c', spec.shell] : (spec.argv ?? []).slice(1);
  const child = spawn(file, args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true, // its own process group (setsid), killed as a whole
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(spec.shell === undefined && spec.argv?.[0] ? { argv0: spec.argv[0] } : {}),
  });
  const pid = child.pid;
  const stdout = new OutputCapture(spec.maxOutputChars);
  const stderr = new OutputCapture(spec.maxOutputChars);
  let timedOut = false;
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const grace = spec.killGraceMs ?? 1_000;

  const kill = (reason: 'abort' | 'timeout' | 'shutdown' = 'abort'): void => {
    if (reason === 'timeout') timedOut = true;
    else aborted = true;
    signalGroup(pid, 'SIGTERM');
    killTimer ??= setTimeout(() => signalGroup(pid, 'SIGKILL'), grace);
    killTimer.unref?.();
  };
  const timeout = setTimeout(() => kill('timeout'), spec.timeoutMs);
  timeout.unref?.();
  const onAbort = (): void => kill('abort');
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  if (spec.signal?.aborted) kill('abort');

  child.stdout!.on('data', (chunk: Buffer) => {
    const text = stdout.push(chunk);
    if (text) spec.onOutput?.('stdout', text);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = stderr.push(chunk);
    if (text) spec.onOutput?.('stderr', text);
  });

  const done = new Promise<RunResult>((resolve) => {
    let exit: { code: number | null; signal: string | null } | undefined;
    let spawnError: Error | undefined;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      clearTimeout(closeTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      stdout.finish();
      stderr.finish();
      const err = spawnError ? `${stderr.text()}${spawnError.message}\n` : stderr.text();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: stdout.text(),
        stderr: err,
        truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
        durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
        timedOut,
        aborted,
        pid,
      });
    };
    let closeTimer: NodeJS.Timeout | undefined;
    child.once('error', (error) => {
      spawnError = error;
      finish();
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // What the command left running in its group goes with it; a process that made its own
      // session still holds the pipes, so they are not waited for past a short grace.
      signalGroup(pid, 'SIGKILL');
      closeTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, 2_000);
      closeTimer.unref?.();
    });
    child.once('close', finish);
  });
  return { pid, startedAt, done, kill };
}
