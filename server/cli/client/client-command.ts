// The frame every client command shares: the connection and output options, --help, the target
// gateway, and failures reported in the command's output mode with exit codes 1 (gateway) / 2 (usage).
import type { ParseArgsConfig } from 'node:util';
import { CliError } from '../cli-error.js';
import { parseOptions } from '../parse-options.js';
import { createOutput, type CliOutput } from './cli-output.js';
import { reportFailure } from './gateway-failure.js';
import { resolveGatewayTarget, type GatewayTarget } from './gateway-target.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const CLIENT_OPTIONS = {
  url: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
  password: { type: 'string' },
  timeout: { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** The shared options' help; a command whose --timeout means something else passes its own line. */
export function clientOptionsHelp(timeoutLine = '  --timeout <ms>     how long to wait for the gateway (default 10000)'): string {
  return CLIENT_OPTIONS_HELP.replace(/^ {2}--timeout .*$/m, timeoutLine);
}

export const CLIENT_OPTIONS_HELP = `Connection and output (every client command):
  --url <url>        gateway WebSocket URL (env OPENCLAW_GATEWAY_URL; default: this machine's gateway)
  --port <port>      a gateway on this machine's loopback at this port
  --token <token>    gateway token (env OPENCLAW_GATEWAY_TOKEN or OPENCLAW_AUTH_TOKEN; default:
                     gateway.auth.token of the local config; never sent to an explicit --url)
  --password <pw>    gateway password (env OPENCLAW_GATEWAY_PASSWORD)
  --timeout <ms>     how long to wait for the gateway (default 10000)
  --state-dir <dir>  the local gateway's state dir (env OPENCLAW_STATE_DIR, default ~/.openclaw)
  --json             JSON on stdout for scripts (errors as JSON on stderr)
  --no-color         no colours (also NO_COLOR=1; colours only ever go to a terminal)
  -h, --help         show this help`;

export interface ClientContext<V> {
  readonly values: V;
  readonly positionals: readonly string[];
  readonly out: CliOutput;
  readonly target: GatewayTarget;
  /** --timeout (ms), or the command's default. */
  readonly timeoutMs: number;
}

export interface ClientCommandSpec<O extends Options> {
  /** "sessions list": used in messages that point at --help. */
  readonly name: string;
  readonly options?: O;
  readonly positionals?: boolean;
  /** The help text; a function when it is built from the contract (method docs). */
  readonly usage: string | (() => Promise<string>);
  readonly defaultTimeoutMs?: number;
  /** `--timeout` counts seconds (upstream's `agent --timeout <seconds>`), not milliseconds. */
  readonly timeoutInSeconds?: boolean;
}

export function parseTimeoutMs(raw: string | undefined, fallback: number, flag = '--timeout'): number {
  if (raw === undefined) return fallback;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 86_400_000) throw new CliError(`${flag} must be a whole number from 1 to 86400000 (got "${raw}")`, 2);
  return ms;
}

export async function runClientCommand<O extends Options>(
  args: string[],
  spec: ClientCommandSpec<O>,
  run: (ctx: ClientContext<ReturnType<typeof parseOptions<O & typeof CLIENT_OPTIONS>>['values']>) => Promise<number | void>,
): Promise<number> {
  const options = { ...CLIENT_OPTIONS, ...spec.options } as O & typeof CLIENT_OPTIONS;
  const { values, positionals } = parseOptions(spec.name, args, options, spec.positionals ?? false);
  const flags = values as Record<string, unknown>;
  if (flags.help) {
    process.stdout.write(`${typeof spec.usage === 'string' ? spec.usage : await spec.usage()}\n`);
    return 0;
  }
  // `--plain` (upstream's logs flag) is no styling, as --no-color.
  const out = createOutput({ json: flags.json === true, 'no-color': flags['no-color'] === true || flags.plain === true });
  try {
    const raw = flags.timeout as string | undefined;
    const timeoutMs = spec.timeoutInSeconds
      ? parseTimeoutMs(raw, (spec.defaultTimeoutMs ?? 600_000) / 1000, '--timeout (seconds)') * 1000
      : parseTimeoutMs(raw, spec.defaultTimeoutMs ?? 10_000);
    const target = resolveGatewayTarget(flags as Record<string, string | undefined>);
    return (await run({ values, positionals, out, target, timeoutMs })) ?? 0;
  } catch (error) {
    // Every usage error points at this command's --help.
    if (error instanceof CliError && error.exitCode === 2 && !error.message.includes('--help')) return reportFailure(out, usageError(spec.name, error.message));
    return reportFailure(out, error);
  }
}

/** A usage error for this command, pointing at its --help. */
export function usageError(command: string, message: string): CliError {
  return new CliError(`${message}; run "openclaw ${command} --help" for the options`, 2);
}
