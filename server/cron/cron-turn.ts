// One job's turn through the dispatcher, as an in-process caller: the `agent` method (accepted, then
// the final answer) in the job's session — the main session for a systemEvent (its text given to the
// agent as upstream's `System:` lines, as a heartbeat would), a fresh session per run for `isolated`,
// the named one for `session:<key>` — with the payload's model, thinking level and time limit, and
// the payload's fallback models tried in turn when a model fails.
import type { CronJob } from '../../contract/schemas/cron-job.js';
import { GatewayError } from '../core/gateway-error.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import type { Mutable } from '../core/mutable.js';
import { mainSessionKey } from '../sessions/main-session.js';
import { errorReasonOf } from './cron-error-reason.js';
import type { CronRunOutcome, CronRunRequest } from './cron-run-types.js';

const MAX_SUMMARY = 4000;

export type TurnResult = Omit<CronRunOutcome, 'delivered' | 'deliveryStatus' | 'deliveryError'>;

/** Upstream's system-event lines: every line prefixed `System:`, the first one with the time. */
export function systemEventText(text: string, atMs: number, zone: string): string {
  const stamp = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' }).format(atMs);
  return text
    .trim()
    .split('\n')
    .map((line, i) => `System: ${i === 0 ? `[${stamp} ${zone}] ` : ''}${line}`)
    .join('\n');
}

/** The session a run of this job speaks in. */
export function sessionKeyFor(job: CronJob, runId: string, defaultAgentId: string, mainKey: string): string {
  const agentId = job.agentId ?? defaultAgentId;
  if (job.sessionTarget === 'main') return job.sessionKey ?? mainSessionKey(agentId, mainKey);
  if (job.sessionTarget.startsWith('session:')) {
    const key = job.sessionTarget.slice('session:'.length);
    return key.startsWith('agent:') ? key : `agent:${agentId}:${key}`;
  }
  // isolated: a new session for every run, named after the job (upstream: agent:<id>:cron:<job>:run:<n>).
  const own = runId.replace(/^(cron|manual):[^:]*:/, '');
  const suffix = own.replace(/[^A-Za-z0-9_-]/g, '-').slice(-48) || 'run';
  return `agent:${agentId}:cron:${job.id}:run:${suffix}`;
}

interface AgentFinal {
  readonly status: string;
  readonly summary: string;
  readonly result?: { readonly payloads: readonly { text?: string }[]; readonly meta?: { readonly agentMeta?: AgentMeta } };
}

interface AgentMeta {
  readonly sessionId?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number; total?: number };
}

export async function runTurn(caller: InProcessCaller, request: CronRunRequest, session: { key: string; zone: string }): Promise<TurnResult> {
  const { job } = request;
  const payload = job.payload;
  const params: Mutable<Record<string, unknown>> = { idempotencyKey: request.runId, sessionKey: session.key, bootstrapContextRunKind: 'cron' };
  if (job.agentId) params.agentId = job.agentId;
  let models: (string | undefined)[] = [undefined];
  if (payload.kind === 'systemEvent') params.message = systemEventText(payload.text, request.startedAtMs, session.zone);
  else {
    params.message = `[cron:${job.id} ${job.name}] ${payload.message}`;
    params.label = `Cron: ${job.name}`.slice(0, 512);
    if (payload.thinking) params.thinking = payload.thinking;
    if (payload.timeoutSeconds) params.timeout = Math.ceil(payload.timeoutSeconds);
    if (payload.lightContext) params.bootstrapContextMode = 'lightweight';
    models = [payload.model, ...(payload.fallbacks ?? [])];
  }
  let failure: TurnResult = { status: 'error', error: 'not run', sessionKey: session.key };
  for (const [attempt, model] of models.entries()) {
    if (model) params.model = model;
    if (attempt > 0) params.idempotencyKey = `${request.runId}:fallback-${attempt}`;
    try {
      const final = (await caller.call('agent', params, { signal: request.signal })) as AgentFinal;
      return turnResult(final, session.key);
    } catch (error) {
      const gatewayError = error instanceof GatewayError ? error : undefined;
      const detail = gatewayError?.details?.code;
      const message = (error as Error).message;
      failure = { status: 'error', error: message, errorReason: errorReasonOf(detail, gatewayError?.details?.errorKind as string | undefined, message), sessionKey: session.key };
      // Only a model failure is worth another model; a bad request or a stop is not.
      if (detail !== 'PROVIDER_ERROR' && detail !== 'MODEL_NOT_FOUND') break;
    }
  }
  return failure;
}

function turnResult(final: AgentFinal, sessionKey: string): TurnResult {
  const text = (final.result?.payloads ?? [])
    .map((p) => p.text ?? '')
    .filter(Boolean)
    .join('\n\n');
  const out: Mutable<TurnResult> = { status: final.status === 'ok' ? 'ok' : 'error', sessionKey };
  if (final.status !== 'ok') {
    out.error = final.status === 'aborted' ? `the run was aborted (${final.summary})` : final.summary;
    out.errorReason = 'unknown';
  }
  if (text) out.summary = text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY)}…` : text;
  const meta = final.result?.meta?.agentMeta;
  if (meta?.sessionId) out.sessionId = meta.sessionId;
  if (meta?.provider) out.provider = meta.provider;
  if (meta?.model) out.model = meta.model;
  if (meta?.usage) {
    out.usage = {
      input_tokens: meta.usage.input ?? 0,
      output_tokens: meta.usage.output ?? 0,
      total_tokens: meta.usage.total ?? 0,
      cache_read_tokens: meta.usage.cacheRead ?? 0,
      cache_write_tokens: meta.usage.cacheWrite ?? 0,
    };
  }
  return out;
}
