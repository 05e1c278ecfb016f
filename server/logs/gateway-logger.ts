// Structured JSON logs to a file in the state dir (pino), plus one readable console line for the
// events an operator watching the terminal cares about. Secrets are redacted in both.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface GatewayLogger {
  readonly file: string;
  readonly pino: Logger;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Logs at info and prints a readable line on the console. */
  notice(msg: string, fields?: Record<string, unknown>): void;
  flush(): Promise<void>;
}

const REDACT_PATHS = [
  'token',
  'password',
  'apiKey',
  'authorization',
  '*.token',
  '*.password',
  '*.apiKey',
  '*.authorization',
  'auth.token',
  'auth.password',
  'headers.authorization',
];

export interface LoggerOptions {
  readonly file: string;
  readonly level?: LogLevel;
  readonly console?: boolean;
  /** Masks secret values in each line (the file and the console) on top of the key-based redaction. */
  readonly redact?: (line: string) => string;
}

export function createGatewayLogger(options: LoggerOptions): GatewayLogger {
  mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  // minLength > 0: sonic-boom's flush() is a no-op at 0 and would not wait for pending writes.
  const destination = pino.destination({ dest: options.file, sync: false, mkdir: true, mode: 0o600, minLength: 1 });
  const redact = options.redact ?? ((line: string) => line);
  // pino writes each line through this; flush goes to the file stream itself.
  const stream = {
    write: (line: string) => destination.write(redact(line)),
    flush: (cb?: (error?: Error) => void) => destination.flush(cb),
    flushSync: () => destination.flushSync(),
  };
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
  const consoleOn = options.console ?? false;
  const line = (msg: string, fields?: Record<string, unknown>): void => {
    if (!consoleOn) return;
    const time = new Date().toISOString().slice(11, 19);
    const extra = fields
      ? Object.entries(fields)
          .filter(([k]) => !/token|password|secret|key/i.test(k))
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')
      : '';
    process.stdout.write(redact(`[gateway ${time}] ${msg}${extra ? ` ${extra}` : ''}\n`));
  };
  return {
    file: options.file,
    pino: logger,
    debug: (msg, fields) => logger.debug(fields ?? {}, msg),
    info: (msg, fields) => logger.info(fields ?? {}, msg),
    warn: (msg, fields) => {
      logger.warn(fields ?? {}, msg);
      line(`warning: ${msg}`, fields);
    },
    error: (msg, fields) => {
      logger.error(fields ?? {}, msg);
      line(`error: ${msg}`, fields);
    },
    notice: (msg, fields) => {
      logger.info(fields ?? {}, msg);
      line(msg, fields);
    },
    flush: () =>
      new Promise<void>((resolve) => {
        logger.flush(() => resolve());
      }),
  };
}
