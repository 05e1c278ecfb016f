// Turns Playwright's launch error (a call log with the browser's stderr lines and exit status) into
// one message that says what Chromium printed and how it ended, never just "timeout" or "closed".
import { BrowserError } from './browser-error.js';

const MAX_STDERR_CHARS = 2000;

export interface LaunchFailure {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
}

/** Reads the exit status and stderr lines out of a Playwright launch error message. */
export function parseLaunchFailure(message: string): LaunchFailure {
  const exit = /<process did exit: exitCode=(\w+), signal=(\w+)>/.exec(message);
  const stderr: string[] = [];
  const seen = new Set<string>();
  for (const match of message.matchAll(/\[pid=\d+\]\[err\] (.*)/g)) {
    // The call log repeats the browser log: keep each line once.
    const line = match[1]!.replace(/\u001b\[[0-9;]*m/g, '').trim();
    if (line && !seen.has(line)) {
      seen.add(line);
      stderr.push(line);
    }
  }
  const code = exit && exit[1] !== 'null' ? Number(exit[1]) : null;
  const signal = exit && exit[2] !== 'null' ? exit[2]! : null;
  let text = stderr.join('\n');
  if (text.length > MAX_STDERR_CHARS) text = `…${text.slice(-MAX_STDERR_CHARS)}`;
  return { exitCode: Number.isFinite(code) ? code : null, signal, stderr: text };
}

/** The BrowserError for a launch that failed: exit status and stderr when Chromium printed any. */
export function launchError(error: unknown, executablePath: string, timeoutMs: number): BrowserError {
  const message = error instanceof Error ? error.message : String(error);
  const failure = parseLaunchFailure(message);
  const timedOut = /Timeout \d+ms exceeded/.test(message);
  const how =
    failure.exitCode !== null
      ? `exited with code ${failure.exitCode}`
      : failure.signal
        ? `was killed by ${failure.signal}`
        : timedOut
          ? `did not become ready within ${timeoutMs} ms`
          : 'closed before it was ready';
  const stderr = failure.stderr ? `; its stderr:\n${failure.stderr}` : '; it printed nothing on stderr';
  const firstLine = message.split('\n')[0]!.replace(/^browserType\.\w+: /, '');
  const detail = failure.exitCode === null && !failure.signal && !timedOut ? ` (${firstLine})` : '';
  return new BrowserError('launch_failed', `Chromium (${executablePath}) ${how}${detail}${stderr}`, { cause: error });
}
