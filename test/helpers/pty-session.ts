// A command in a real pseudo-terminal, for interactive tests (chat, approvals watch): util-linux
// `script` allocates the PTY (Debian's bsdutils, an essential package, so no native addon to
// build); what the test writes goes to the terminal as typed keys, so "\x03" is Ctrl-C and "\r" Enter.
import { spawn, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

export interface PtySession {
  readonly child: ChildProcess;
  /** Everything the terminal showed so far, without escape sequences. */
  text(): string;
  /** The raw bytes (with colours and cursor moves). */
  raw(): string;
  /** Types into the terminal. */
  type(keys: string): void;
  /** Resolves once the screen text (after `from`, a previous text() length) matches. */
  waitFor(pattern: RegExp | string, options?: { timeoutMs?: number; from?: number }): Promise<void>;
  readonly exited: Promise<number | null>;
  /** Ends the session (SIGKILL) if it still runs. */
  kill(): void;
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

export function spawnInPty(argv: readonly string[], env: NodeJS.ProcessEnv, size = { cols: 120, rows: 40 }): PtySession {
  const command = `stty cols ${size.cols} rows ${size.rows} 2>/dev/null; exec ${argv.map(quote).join(' ')}`;
  // -q: no banner; -e: exit with the command's status; -c: run it; /dev/null: no typescript file.
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    raw += chunk.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const text = (): string => stripVTControlCharacters(raw).replace(/\r/g, '');
  return {
    child,
    text,
    raw: () => raw,
    type: (keys) => void child.stdin!.write(keys),
    waitFor(pattern, options = {}) {
      const matches = (): boolean => {
        const screen = text().slice(options.from ?? 0);
        return typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen);
      };
      if (matches()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!matches()) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the terminal never showed ${String(pattern)}; it shows:\n${text()}`));
        }, options.timeoutMs ?? 30_000);
        const onExit = (): void => {
          if (matches()) return check();
          cleanup();
          reject(new Error(`the command exited before the terminal showed ${String(pattern)}; it shows:\n${text()}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        waiters.add(check);
        child.once('exit', onExit);
      });
    },
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
