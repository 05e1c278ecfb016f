// What a client command says when the gateway cannot be reached or answers with an error: one
// line on stderr naming the code (or one JSON object with --json), and exit 1; usage errors exit 2.
import { GatewayError } from '../../../clients/runtime/gateway-error.js';
import { CliError } from '../cli-error.js';
import type { CliOutput } from './cli-output.js';
import type { GatewayTarget } from './gateway-target.js';

type ConnectProblem =
  | { readonly kind: 'timeout'; readonly elapsedMs: number; readonly cause: (Error & { code?: string }) | undefined }
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string; readonly cause: (Error & { code?: string }) | undefined }
  | { readonly kind: 'refused'; readonly error: GatewayError };

const LOCAL_SOURCES = new Set(['lock', 'config', 'default', 'port-flag']);

/** The first connection did not reach hello-ok. */
export class ConnectFailure extends CliError {
  readonly code: string;
  readonly detailCode: string | undefined;
  readonly details: unknown;

  constructor(
    readonly target: GatewayTarget,
    readonly problem: ConnectProblem,
  ) {
    const { message, code, detailCode } = describeConnectProblem(target, problem);
    super(message, 1);
    this.code = code;
    this.detailCode = detailCode;
    this.details = problem.kind === 'refused' ? problem.error.details : undefined;
  }
}

function transportReason(cause: (Error & { code?: string }) | undefined): string | undefined {
  if (!cause) return undefined;
  if (cause.code === 'ECONNREFUSED') return 'connection refused';
  if (cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN') return 'unknown host';
  if (cause.code === 'ECONNRESET') return 'connection reset';
  if (cause.code === 'EHOSTUNREACH' || cause.code === 'ENETUNREACH') return 'host unreachable';
  const http = /Unexpected server response: (\d+)/.exec(cause.message);
  if (http) return `it answered HTTP ${http[1]} instead of a WebSocket upgrade; is it an OpenClaw gateway?`;
  return cause.message.split('\n')[0];
}

function notRunningHint(target: GatewayTarget): string {
  if (!LOCAL_SOURCES.has(target.urlSource)) return '';
  if (target.urlSource === 'lock') return `; the gateway recorded in ${target.paths.stateDir}/gateway.lock did not answer`;
  if (!target.running) return `; no gateway is running on ${target.paths.stateDir} (start one with "openclaw gateway")`;
  return '';
}

function describeConnectProblem(target: GatewayTarget, p: ConnectProblem): { message: string; code: string; detailCode: string | undefined } {
  const at = `the gateway at ${target.url}`;
  if (p.kind === 'timeout') {
    const why = transportReason(p.cause);
    return { code: 'TIMEOUT', detailCode: undefined, message: `no answer from ${at} within ${p.elapsedMs} ms${why ? ` (${why})` : ''}${notRunningHint(target)}; raise --timeout if it is busy` };
  }
  if (p.kind === 'closed') {
    const why = transportReason(p.cause);
    if (why) return { code: 'UNREACHABLE', detailCode: p.cause?.code, message: `cannot reach ${at}: ${why}${notRunningHint(target)}` };
    const reason = p.reason ? `: ${p.reason}` : '';
    return { code: 'CONNECTION_CLOSED', detailCode: String(p.code), message: `${at} closed the connection before the handshake finished (${p.code}${reason})` };
  }
  const e = p.error;
  const detail = e.detailCode ?? e.code;
  const source = target.authSource ? ` from ${target.authSource}` : '';
  const explicit = target.urlSource === 'flag' ? ' (with --url, credentials from the environment or the config are not sent: pass --token)' : '';
  let message: string;
  switch (detail) {
    case 'AUTH_TOKEN_MISSING':
    case 'AUTH_PASSWORD_MISSING':
      message = `${at} needs a ${detail === 'AUTH_TOKEN_MISSING' ? 'token' : 'password'}: pass --${detail === 'AUTH_TOKEN_MISSING' ? 'token' : 'password'} or set OPENCLAW_GATEWAY_${detail === 'AUTH_TOKEN_MISSING' ? 'TOKEN' : 'PASSWORD'}${explicit}${target.configProblem ? `; ${target.configProblem}` : ''}`;
      break;
    case 'AUTH_TOKEN_MISMATCH':
    case 'AUTH_PASSWORD_MISMATCH':
      message = `${at} refused the ${detail === 'AUTH_TOKEN_MISMATCH' ? 'token' : 'password'}${source}; check it against gateway.auth in the gateway's config`;
      break;
    case 'PROTOCOL_MISMATCH':
      message = `${at} speaks another protocol version: ${e.message}`;
      break;
    default:
      message = `${at} refused the connection: ${e.message}`;
  }
  return { code: e.code, detailCode: e.detailCode, message };
}

/** A failed call, as one sentence. */
export function describeCallError(error: GatewayError): string {
  const method = error.method ?? 'the call';
  switch (error.kind) {
    case 'timeout':
      return `${method}: no answer within the timeout (${error.message.replace(/^.*within /, '')}); raise --timeout if the gateway is busy`;
    case 'closed':
      return `the connection to the gateway closed before ${method} was answered`;
    case 'aborted':
      return `${method} was cancelled`;
    case 'not-connected':
      return `${method} could not be sent: ${error.message}`;
    default:
      break;
  }
  if (error.detailCode === 'UNKNOWN_METHOD') return `this gateway does not know ${method} (it may be an older or a different gateway); "openclaw gateway call --help" lists what it offers`;
  return error.message;
}

function codeLabel(code: string, detail: string | undefined): string {
  return detail && detail !== code ? `${code}/${detail}` : code;
}

/** Prints `error` the way the output mode wants and returns the exit code. */
export function reportFailure(out: CliOutput, error: unknown): number {
  if (error instanceof ConnectFailure) {
    return emit(out, 1, { code: error.code, detailCode: error.detailCode, message: error.message, details: error.details });
  }
  if (error instanceof GatewayError) {
    return emit(out, 1, { code: error.code, detailCode: error.detailCode, message: describeCallError(error), method: error.method, details: error.details });
  }
  if (error instanceof CliError) {
    return emit(out, error.exitCode, { code: error.exitCode === 2 ? 'USAGE' : 'FAILED', detailCode: undefined, message: error.message });
  }
  throw error;
}

interface FailureBody {
  readonly code: string;
  readonly detailCode: string | undefined;
  readonly message: string;
  readonly method?: string | undefined;
  readonly details?: unknown;
}

function emit(out: CliOutput, exitCode: number, body: FailureBody): number {
  if (out.json) {
    process.stderr.write(`${JSON.stringify({ ok: false, error: body })}\n`);
  } else {
    const label = body.code === 'USAGE' || body.code === 'FAILED' ? '' : ` ${out.errColor.dim(`[${codeLabel(body.code, body.detailCode)}]`)}`;
    process.stderr.write(`${out.errColor.red('openclaw:')} ${body.message}${label}\n`);
  }
  return exitCode;
}
