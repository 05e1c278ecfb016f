// Where a run's result goes, through the dispatcher like everything a job does: `announce` sends
// the summary to a channel target with the `send` method, or — with no target — into the agent's
// main session (`chat.inject`, upstream's "announce into the main session"); a `session:` job's
// reply is in its session already. `webhook` POSTs the finished run. A channel that is not there
// (UNAVAILABLE / NOT_IMPLEMENTED, CHANNEL_NOT_FOUND) makes the delivery `not-delivered`, never the run.
import type { CronJob } from '../../contract/schemas/cron-job.js';
import { GatewayError } from '../core/gateway-error.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import type { Mutable } from '../core/mutable.js';
import { mainSessionKey } from '../sessions/main-session.js';
import type { CronAlertTarget, CronRunOutcome, CronRunRequest } from './cron-run-types.js';
import type { TurnResult } from './cron-turn.js';
import { postWebhook, type WebhookOptions } from './cron-webhook.js';

export type DeliveryResult = Pick<CronRunOutcome, 'delivered' | 'deliveryStatus' | 'deliveryError'>;

export interface DeliveryContext {
  readonly defaultAgentId: string;
  readonly mainKey: string;
  readonly webhook: WebhookOptions;
  /**
   * A caller that may append to a session (chat.inject is admin). Kept apart from the caller the
   * turn runs as, so the agent's tools in a cron run never get admin scope.
   */
  sessionWriter(): InProcessCaller;
}

const errorText = (error: unknown): string => {
  if (error instanceof GatewayError) return `${error.code}${error.details?.code ? ` (${error.details.code})` : ''}: ${error.message}`;
  return (error as Error).message;
};

/** A message to a channel target through `send`. */
async function sendToChannel(caller: InProcessCaller, job: CronJob, target: { to: string; channel?: string; accountId?: string }, text: string, key: string): Promise<void> {
  const params: Mutable<Record<string, unknown>> = { to: target.to, message: text, idempotencyKey: key };
  if (target.channel && target.channel !== 'last') params.channel = target.channel;
  if (target.accountId) params.accountId = target.accountId;
  if (job.agentId) params.agentId = job.agentId;
  await caller.call('send', params);
}

/** The text appended to the agent's main session, creating that session when it does not exist yet. */
async function injectIntoMainSession(job: CronJob, text: string, ctx: DeliveryContext): Promise<void> {
  const caller = ctx.sessionWriter();
  const sessionKey = mainSessionKey(job.agentId ?? ctx.defaultAgentId, ctx.mainKey);
  const params = { sessionKey, message: text, label: `cron:${job.id}`.slice(0, 100) };
  try {
    await caller.call('chat.inject', params);
  } catch (error) {
    if (!(error instanceof GatewayError) || error.details?.code !== 'SESSION_NOT_FOUND') throw error;
    await caller.call('sessions.spawn', { key: sessionKey, ...(job.agentId ? { agentId: job.agentId } : {}) });
    await caller.call('chat.inject', params);
  }
}

/** The webhook body: the finished run, as the `cron` event shows it. */
function webhookBody(request: CronRunRequest, turn: TurnResult, endedAtMs: number): Record<string, unknown> {
  const { job } = request;
  const body: Record<string, unknown> = {
    jobId: job.id,
    jobName: job.name,
    action: 'finished',
    runId: request.runId,
    trigger: request.trigger,
    status: turn.status,
    runAtMs: request.startedAtMs,
    durationMs: Math.max(0, endedAtMs - request.startedAtMs),
  };
  if (request.scheduledAtMs !== undefined) body.scheduledAtMs = request.scheduledAtMs;
  for (const key of ['summary', 'error', 'sessionKey', 'sessionId', 'model', 'provider', 'usage'] as const) if (turn[key] !== undefined) body[key] = turn[key];
  return body;
}

export async function deliverRun(caller: InProcessCaller, request: CronRunRequest, turn: TurnResult, ctx: DeliveryContext): Promise<DeliveryResult> {
  const { job } = request;
  const delivery = job.delivery;
  if (!delivery || delivery.mode === 'none') return { deliveryStatus: 'not-requested' };
  if (delivery.mode === 'webhook') {
    const result = await postWebhook(delivery.to, webhookBody(request, turn, Date.now()), ctx.webhook);
    return result.ok ? { delivered: true, deliveryStatus: 'delivered' } : { delivered: false, deliveryStatus: 'not-delivered', deliveryError: `${result.error} (after ${result.attempts} attempt(s))` };
  }
  if (turn.status !== 'ok' || !turn.summary) {
    return { delivered: false, deliveryStatus: 'not-delivered', deliveryError: turn.status === 'ok' ? 'the run produced no text to announce' : 'the run failed; nothing to announce' };
  }
  try {
    if (delivery.to) {
      const target: Mutable<{ to: string; channel?: string; accountId?: string }> = { to: delivery.to };
      if (delivery.channel) target.channel = delivery.channel;
      if (delivery.accountId) target.accountId = delivery.accountId;
      await sendToChannel(caller, job, target, turn.summary, `${request.runId}:announce`);
    } else if (job.sessionTarget === 'isolated') await injectIntoMainSession(job, `[cron] ${job.name}: ${turn.summary}`, ctx);
    // A session job's reply is in that session's transcript already.
    return { delivered: true, deliveryStatus: 'delivered' };
  } catch (error) {
    return { delivered: false, deliveryStatus: 'not-delivered', deliveryError: errorText(error) };
  }
}

/** A failure alert: a webhook POST, a channel message, or (no target) a line in the main session. */
export async function deliverAlert(caller: InProcessCaller, job: CronJob, text: string, target: CronAlertTarget, ctx: DeliveryContext): Promise<void> {
  if (target.mode === 'webhook') {
    if (!target.to) throw new Error('failure alert mode "webhook" needs failureAlert.to');
    const result = await postWebhook(target.to, { jobId: job.id, jobName: job.name, kind: 'failure-alert', text, consecutiveErrors: job.state.consecutiveErrors ?? 0, error: job.state.lastError }, ctx.webhook);
    if (!result.ok) throw new Error(result.error);
    return;
  }
  if (target.to) {
    const channelTarget: Mutable<{ to: string; channel?: string; accountId?: string }> = { to: target.to };
    if (target.channel) channelTarget.channel = target.channel;
    if (target.accountId) channelTarget.accountId = target.accountId;
    await sendToChannel(caller, job, channelTarget, text, `cron-alert:${job.id}:${job.state.lastFailureAlertAtMs ?? Date.now()}`);
    return;
  }
  await injectIntoMainSession(job, `[cron alert] ${text}`, ctx);
}
