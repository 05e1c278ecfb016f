// `openclaw logs [--follow]`: the gateway's own log file over RPC (works against a remote gateway
// too), readable by default, one JSON record per line with --json.
import type { OpenClawClient } from '../../../clients/openclaw-client.js';
import { GatewayError } from '../../../clients/runtime/gateway-error.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, parseTimeoutMs, runClientCommand, usageError } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { connectGateway } from '../client/gateway-connection.js';
import { describeCallError } from '../client/gateway-failure.js';
import { onInterrupt } from '../client/interrupt.js';
import { usageWithMethods } from '../client/method-docs.js';
import { formatLogLine, parseLogLine } from './log-line-format.js';

type Tail = GatewayMethods['logs.tail']['result'];

const USAGE = `Usage: openclaw logs [--follow] [--limit <n>] [options]

The gateway's log: the last lines, readable (time, level, message, fields), or one JSON record
per line with --json. --follow keeps reading until Ctrl-C, across reconnects.

Options:
  --limit <n>        at most this many lines (default 200)
  --max-bytes <n>    read at most this much of the file (default 250000)
  --follow           keep printing new lines
  --interval <ms>    how often to look for new lines while following (default 1000)
  --plain            no styling (same as --no-color)
  --local-time       times in this machine's time zone (the default)
  --utc              times in UTC

${CLIENT_OPTIONS_HELP}`;

function count(raw: string | undefined, flag: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw usageError('logs', `${flag} must be a whole number from 1 to ${max} (got "${raw}")`);
  return n;
}

function printLines(out: CliOutput, tail: Tail, utc: boolean): void {
  for (const line of tail.lines) {
    if (!line) continue;
    if (out.json) process.stdout.write(`${JSON.stringify(parseLogLine(line) ?? { raw: line })}\n`);
    else out.line(formatLogLine(line, out.color, utc));
  }
}

async function follow(client: OpenClawClient, out: CliOutput, first: Tail, params: { limit: number; maxBytes: number }, intervalMs: number, utc: boolean, timeoutMs: number): Promise<void> {
  let cursor = first.cursor;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stopInterrupt = onInterrupt(() => {
    stopped = true;
    wake?.();
  });
  client.on('reconnecting', () => out.note(out.errColor.dim('(connection lost; reconnecting…)')));
  client.on('ready', ({ reconnected }) => reconnected && out.note(out.errColor.dim('(reconnected)')));
  try {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs);
      });
      if (stopped) break;
      try {
        const tail = await client.logs.tail({ cursor, limit: params.limit, maxBytes: params.maxBytes }, { timeoutMs });
        if (tail.reset) out.note(out.errColor.dim('(the log file was replaced; reading the new one from its start)'));
        printLines(out, tail, utc);
        cursor = tail.cursor;
      } catch (error) {
        if (!(error instanceof GatewayError) || error.kind === 'gateway') throw error;
        out.note(out.errColor.dim(`(${describeCallError(error)}; trying again)`));
      }
    }
  } finally {
    stopInterrupt();
  }
}

export function runLogsCommand(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    {
      name: 'logs',
      options: {
        limit: { type: 'string' },
        'max-bytes': { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        interval: { type: 'string' },
        plain: { type: 'boolean' },
        'local-time': { type: 'boolean' },
        utc: { type: 'boolean' },
      },
      usage: usageWithMethods(USAGE, ['logs.tail']),
    },
    async ({ values, out, target, timeoutMs }) => {
      if (values.utc && values['local-time']) throw usageError('logs', 'use either --utc or --local-time');
      const params = { limit: count(values.limit, '--limit', 200, 5000), maxBytes: count(values['max-bytes'], '--max-bytes', 250_000, 1_000_000) };
      const intervalMs = parseTimeoutMs(values.interval, 1000, '--interval');
      const client = await connectGateway(target, { timeoutMs, scopes: ['operator.read'] });
      try {
        const first = await client.logs.tail(params, { timeoutMs });
        printLines(out, first, values.utc === true);
        if (values.follow) await follow(client, out, first, params, intervalMs, values.utc === true, timeoutMs);
      } finally {
        client.close();
      }
    },
  );
}

