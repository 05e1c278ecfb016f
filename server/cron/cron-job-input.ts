// cron.add and cron.update input → a stored job: upstream's defaults (session target by payload,
// wakeMode now, deleteAfterRun for `at`, announce for isolated agent turns, a stagger for
// top-of-the-hour expressions), the gateway's zone written into a cron schedule that names none,
// and upstream's rules on which payload goes with which session target. Errors say what to change.
import type { z } from 'zod';
import type { CronAddParams, CronUpdateParams } from '../../contract/schemas/cron.js';
import type { CronJob, CronSchedule } from '../../contract/schemas/cron-job.js';
import { invalidParams } from '../core/gateway-error.js';
import { assertValidSchedule, DEFAULT_TOP_OF_HOUR_STAGGER_MS, isTopOfHourExpr } from './cron-schedule.js';

type AddInput = z.output<typeof CronAddParams>;
type Patch = z.output<typeof CronUpdateParams>['patch'];
type Delivery = NonNullable<CronJob['delivery']>;
type Payload = CronJob['payload'];
type AgentTurn = Extract<Payload, { kind: 'agentTurn' }>;

export interface JobInputContext {
  readonly now: number;
  /** Written into cron schedules without `tz`. */
  readonly zone: string;
  /** The default agent: the only one a `main` job may name. */
  readonly defaultAgentId: string;
}

const isIsolatedLike = (target: string): boolean => target !== 'main';

/** `current` means the creating session when there is one (`session:<key>`), else a fresh one each run. */
function resolveTarget(target: string | undefined, payload: Payload, sessionKey: string | undefined): string {
  if (target === 'current') return sessionKey ? `session:${sessionKey}` : 'isolated';
  return target ?? (payload.kind === 'systemEvent' ? 'main' : 'isolated');
}

/** A cron schedule with the zone and the default stagger filled in, so cron.list shows what runs. */
function completeSchedule(schedule: CronSchedule, ctx: JobInputContext, previous?: CronSchedule): CronSchedule {
  if (schedule.kind !== 'cron') return schedule;
  const out = { ...schedule, expr: schedule.expr.trim() };
  out.tz = schedule.tz ?? (previous?.kind === 'cron' ? previous.tz : undefined) ?? ctx.zone;
  if (out.staggerMs === undefined) {
    const kept = previous?.kind === 'cron' ? previous.staggerMs : undefined;
    const fallback = isTopOfHourExpr(out.expr) ? DEFAULT_TOP_OF_HOUR_STAGGER_MS : undefined;
    if (kept ?? fallback) out.staggerMs = (kept ?? fallback)!;
  }
  return out;
}

function httpUrl(value: string | undefined, field: string): string {
  let url: URL | undefined;
  try {
    url = value ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw invalidParams(`${field} must be an http(s) URL`, { field });
  return url.toString();
}

/** Upstream's job rules, checked after every add and patch. */
function assertJobRules(job: CronJob, ctx: JobInputContext): void {
  const target = job.sessionTarget;
  if (target.startsWith('session:') && /[/\\\u0000]/.test(target.slice(8))) {
    throw invalidParams('sessionTarget "session:<key>" must not contain / \\ or NUL', { field: 'sessionTarget' });
  }
  if (target === 'main' && job.payload.kind !== 'systemEvent') {
    throw invalidParams('sessionTarget "main" takes payload.kind "systemEvent"; use sessionTarget "isolated" (or "session:<key>") for an agentTurn', { field: 'payload' });
  }
  if (isIsolatedLike(target) && job.payload.kind !== 'agentTurn') {
    throw invalidParams(`sessionTarget "${target}" takes payload.kind "agentTurn"; use sessionTarget "main" for a systemEvent`, { field: 'payload' });
  }
  if (target === 'main' && job.agentId && job.agentId !== ctx.defaultAgentId) {
    throw invalidParams(`sessionTarget "main" is only for the default agent (${ctx.defaultAgentId}); use "isolated" with an agentTurn for agent ${job.agentId}`, { field: 'agentId' });
  }
  if (job.payload.kind === 'agentTurn' && job.payload.toolsAllow) {
    throw invalidParams('payload.toolsAllow is not supported by this gateway yet; remove it (the agent tool policy applies to cron runs)', { field: 'payload.toolsAllow' });
  }
  const delivery = job.delivery;
  if (delivery?.mode === 'webhook') delivery.to = httpUrl(delivery.to, 'delivery.to');
  else if (delivery?.mode === 'announce' && target === 'main') {
    throw invalidParams('delivery "announce" is for isolated and session jobs; a main job speaks in the main session already', { field: 'delivery' });
  }
  const failure = delivery?.failureDestination;
  if (failure && target === 'main' && delivery?.mode !== 'webhook') {
    throw invalidParams('delivery.failureDestination needs an isolated job or delivery mode "webhook"', { field: 'delivery.failureDestination' });
  }
  if (failure?.mode === 'webhook') failure.to = httpUrl(failure.to, 'delivery.failureDestination.to');
  if (job.failureAlert && job.failureAlert.mode === 'webhook') job.failureAlert.to = httpUrl(job.failureAlert.to, 'failureAlert.to');
}

const trimmed = (value: string | null | undefined): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

export function createJob(input: AddInput, id: string, ctx: JobInputContext): CronJob {
  assertValidSchedule(input.schedule, ctx.now, ctx.zone);
  const sessionKey = trimmed(input.sessionKey);
  const job: CronJob = {
    id,
    name: input.name.trim() || id,
    enabled: input.enabled ?? true,
    createdAtMs: ctx.now,
    updatedAtMs: ctx.now,
    schedule: completeSchedule(input.schedule, ctx),
    sessionTarget: resolveTarget(input.sessionTarget, input.payload, sessionKey),
    wakeMode: input.wakeMode ?? 'now',
    payload: input.payload,
    catchUp: input.catchUp ?? 'once',
    state: {},
  };
  const agentId = trimmed(input.agentId)?.toLowerCase();
  if (agentId) job.agentId = agentId;
  if (sessionKey) job.sessionKey = sessionKey;
  const description = trimmed(input.description);
  if (description) job.description = description;
  const deleteAfterRun = input.deleteAfterRun ?? (input.schedule.kind === 'at' ? true : undefined);
  if (deleteAfterRun !== undefined) job.deleteAfterRun = deleteAfterRun;
  if (input.delivery) job.delivery = { ...input.delivery } as Delivery;
  else if (job.payload.kind === 'agentTurn' && isIsolatedLike(job.sessionTarget)) job.delivery = { mode: 'announce' };
  if (input.failureAlert !== undefined) job.failureAlert = input.failureAlert;
  assertJobRules(job, ctx);
  return job;
}

function mergePayload(existing: Payload, patch: NonNullable<Patch['payload']>): Payload {
  if (patch.kind === 'systemEvent') {
    const text = patch.text ?? (existing.kind === 'systemEvent' ? existing.text : undefined);
    if (!text) throw invalidParams('payload.kind "systemEvent" needs text', { field: 'payload.text' });
    return { kind: 'systemEvent', text };
  }
  const base: AgentTurn = existing.kind === 'agentTurn' ? { ...existing } : { kind: 'agentTurn', message: '' };
  const { toolsAllow, ...rest } = patch;
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (base as Record<string, unknown>)[key] = value;
  if (toolsAllow === null) delete base.toolsAllow;
  else if (toolsAllow !== undefined) base.toolsAllow = toolsAllow;
  if (!base.message) throw invalidParams('payload.kind "agentTurn" needs message', { field: 'payload.message' });
  return base;
}

function mergeDelivery(existing: Delivery | undefined, patch: NonNullable<Patch['delivery']>): Delivery {
  const next: Record<string, unknown> = { ...(existing ?? { mode: 'none' }) };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) next[key] = value;
  return next as Delivery;
}

/** The job with `patch` applied (a new object; the stored one is untouched until it is saved). */
export function patchJob(job: CronJob, patch: Patch, ctx: JobInputContext): CronJob {
  const next: CronJob = { ...job, state: { ...job.state }, updatedAtMs: ctx.now };
  if (patch.name !== undefined) next.name = patch.name.trim() || job.id;
  if (patch.description !== undefined) {
    const description = trimmed(patch.description);
    if (description) next.description = description;
    else delete next.description;
  }
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  if (patch.deleteAfterRun !== undefined) next.deleteAfterRun = patch.deleteAfterRun;
  if (patch.schedule) {
    assertValidSchedule(patch.schedule, ctx.now, ctx.zone);
    next.schedule = completeSchedule(patch.schedule, ctx, job.schedule);
  }
  if (patch.agentId !== undefined) {
    const agentId = trimmed(patch.agentId)?.toLowerCase();
    if (agentId) next.agentId = agentId;
    else delete next.agentId;
  }
  if (patch.sessionKey !== undefined) {
    const sessionKey = trimmed(patch.sessionKey);
    if (sessionKey) next.sessionKey = sessionKey;
    else delete next.sessionKey;
  }
  if (patch.payload) next.payload = mergePayload(job.payload, patch.payload);
  if (patch.sessionTarget) next.sessionTarget = resolveTarget(patch.sessionTarget, next.payload, next.sessionKey);
  if (patch.wakeMode) next.wakeMode = patch.wakeMode;
  if (patch.catchUp) next.catchUp = patch.catchUp;
  if (patch.delivery) next.delivery = mergeDelivery(job.delivery, patch.delivery);
  if (patch.failureAlert !== undefined) {
    next.failureAlert = patch.failureAlert === false || !job.failureAlert ? patch.failureAlert : { ...job.failureAlert, ...patch.failureAlert };
  }
  // A main job keeps only a webhook delivery (upstream drops the rest when a job moves to main).
  if (next.sessionTarget === 'main' && next.delivery && next.delivery.mode !== 'webhook' && !patch.delivery) delete next.delivery;
  if (patch.state) Object.assign(next.state, patch.state);
  assertJobRules(next, ctx);
  return next;
}
