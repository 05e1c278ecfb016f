// Runs one installer command: no shell, a timeout, the caller's cancellation, and bounded output.
import { spawn } from 'node:child_process';

const MAX_OUTPUT_CHARS = 64 * 1024;

export interface ProcessOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Set when the program could not be started. */
  readonly spawnError?: string;
}

export function runInstaller(argv: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number; signal: AbortSignal }): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (current: string, chunk: Buffer): string => (current.length >= MAX_OUTPUT_CHARS ? current : (current + chunk.toString('utf8')).slice(0, MAX_OUTPUT_CHARS));
    child.stdout.on('data', (chunk: Buffer) => (stdout = keep(stdout, chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = keep(stderr, chunk)));
    const kill = (): void => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = (): void => kill();
    options.signal.addEventListener('abort', onAbort, { once: true });
    let spawnError: string | undefined;
    child.on('error', (error) => (spawnError = error.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      const outcome: ProcessOutcome = spawnError ? { code: null, stdout, stderr, timedOut, spawnError } : { code: timedOut ? null : code, stdout, stderr, timedOut };
      resolve(outcome);
    });
  });
}
