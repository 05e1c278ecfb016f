// The cron job record (docs/methods.md). Each part is declared once as a shape: closed for input
// (cron.add / cron.update), open-to-strip for output, since stored jobs may carry upstream extras.
import { z } from 'zod';
import { AgentId, Count, EpochMs, Ident, MessageText, SessionKey } from './common.js';

const TEN_YEARS_MS = 315_576_000_000;

/** Job ids name run-log files (`cron/runs/<id>.jsonl`): no path separators, NUL or leading dot. */
/** A job id a caller names (update, remove, run): looked up, never used as a path. */
export const JobRef = z.string().min(1).max(256);
export const JobId = z.string().regex(/^(?!\.)[^/\\\u0000-\u001f]{1,128}$/, 'a job id has 1-128 characters, no / \\ or control characters, and does not start with a dot');

const AtShape = {
  kind: z.literal('at'),
  /** ISO-8601; must lie between now − 1 min and now + 10 years. */
  at: z.string().min(1).max(64),
};
const EveryShape = {
  kind: z.literal('every'),
  everyMs: z.number().int().min(1).max(TEN_YEARS_MS),
  anchorMs: EpochMs.optional(),
};
const CronExprShape = {
  kind: z.literal('cron'),
  expr: z.string().min(1).max(256),
  /** IANA zone, e.g. `Europe/Berlin`; default the gateway's zone. */
  tz: z.string().min(1).max(64).optional(),
  staggerMs: z.number().int().min(0).max(86_400_000).optional(),
};

export const CronScheduleInput = z.discriminatedUnion('kind', [
  z.strictObject(AtShape),
  z.strictObject(EveryShape),
  z.strictObject(CronExprShape),
]);
export const CronSchedule = z.discriminatedUnion('kind', [
  z.object(AtShape),
  z.object(EveryShape),
  z.object(CronExprShape),
]);
export type CronSchedule = z.infer<typeof CronSchedule>;

export const CronSessionTarget = z.union([
  z.enum(['main', 'isolated', 'current']),
  z.string().regex(/^session:.{1,512}$/),
]);
export const CronWakeMode = z.enum(['now', 'next-heartbeat']);

const SystemEventShape = { kind: z.literal('systemEvent'), text: z.string().min(1).max(100_000) };
const AgentTurnShape = {
  kind: z.literal('agentTurn'),
  message: MessageText.min(1),
  model: Ident.optional(),
  fallbacks: z.array(Ident).max(16).optional(),
  thinking: z.string().max(64).optional(),
  /** Whole-run limit; 0 means the agent default. */
  timeoutSeconds: z.number().int().min(0).max(604_800).optional(),
  allowUnsafeExternalContent: z.boolean().optional(),
  lightContext: z.boolean().optional(),
  toolsAllow: z.array(z.string().min(1).max(128)).max(256).optional(),
};

export const CronPayloadInput = z.discriminatedUnion('kind', [
  z.strictObject(SystemEventShape),
  z.strictObject(AgentTurnShape),
]);
export const CronPayload = z.discriminatedUnion('kind', [z.object(SystemEventShape), z.object(AgentTurnShape)]);

/** cron.update payload patch: text/message may be left out; `toolsAllow: null` clears. */
export const CronPayloadPatch = z.discriminatedUnion('kind', [
  z.strictObject({ ...SystemEventShape, text: SystemEventShape.text.optional() }),
  z.strictObject({
    ...AgentTurnShape,
    message: AgentTurnShape.message.optional(),
    toolsAllow: AgentTurnShape.toolsAllow.unwrap().nullable().optional(),
  }),
]);

const DeliveryMode = z.enum(['announce', 'webhook']);
const FailureDestinationShape = {
  channel: Ident.optional(),
  to: z.string().max(2048).optional(),
  accountId: Ident.optional(),
  mode: DeliveryMode.optional(),
};
const DeliveryCommon = {
  /** `last` or a channel id. */
  channel: Ident.optional(),
  accountId: Ident.optional(),
  bestEffort: z.boolean().optional(),
};
/** A channel target: a peer or group id (`+1555…`, `#general`, `channel:C123`). */
const DeliveryTarget = z.string().max(2048);
const DeliveryChatShape = { mode: z.enum(['none', 'announce']), to: DeliveryTarget.optional(), ...DeliveryCommon };
/** An http(s) URL; checked again when the job is added (upstream accepts no other scheme). */
const DeliveryWebhookShape = { mode: z.literal('webhook'), to: z.url().max(2048), ...DeliveryCommon };

export const CronDeliveryInput = z.discriminatedUnion('mode', [
  z.strictObject({ ...DeliveryChatShape, failureDestination: z.strictObject(FailureDestinationShape).optional() }),
  z.strictObject({ ...DeliveryWebhookShape, failureDestination: z.strictObject(FailureDestinationShape).optional() }),
]);
/** cron.update delivery patch: merged into the job's delivery; `mode` may be left out. */
export const CronDeliveryPatch = z.strictObject({
  mode: z.enum(['none', 'announce', 'webhook']).optional(),
  to: DeliveryTarget.optional(),
  ...DeliveryCommon,
  failureDestination: z.strictObject(FailureDestinationShape).optional(),
});
export const CronDelivery = z.discriminatedUnion('mode', [
  z.object({ ...DeliveryChatShape, failureDestination: z.object(FailureDestinationShape).optional() }),
  z.object({ ...DeliveryWebhookShape, failureDestination: z.object(FailureDestinationShape).optional() }),
]);

const FailureAlertShape = {
  /** Consecutive failures before alerting. */
  after: z.number().int().min(1).max(1000).optional(),
  channel: Ident.optional(),
  to: z.string().max(2048).optional(),
  cooldownMs: z.number().int().min(0).max(TEN_YEARS_MS).optional(),
  mode: DeliveryMode.optional(),
  accountId: Ident.optional(),
};
export const CronFailureAlertInput = z.union([z.literal(false), z.strictObject(FailureAlertShape)]);
export const CronFailureAlert = z.union([z.literal(false), z.object(FailureAlertShape)]);

export const CRON_RUN_STATUSES = ['ok', 'error', 'skipped'] as const;
export const CRON_DELIVERY_STATUSES = ['delivered', 'not-delivered', 'unknown', 'not-requested'] as const;
export const CRON_ERROR_REASONS = [
  'auth',
  'format',
  'rate_limit',
  'billing',
  'timeout',
  'model_not_found',
  'unknown',
] as const;

const CronJobStateShape = {
  nextRunAtMs: EpochMs.optional(),
  runningAtMs: EpochMs.optional(),
  lastRunAtMs: EpochMs.optional(),
  lastRunStatus: z.enum(CRON_RUN_STATUSES).optional(),
  lastStatus: z.enum(CRON_RUN_STATUSES).optional(),
  lastError: z.string().optional(),
  lastErrorReason: z.enum(CRON_ERROR_REASONS).optional(),
  lastDurationMs: Count.optional(),
  consecutiveErrors: Count.optional(),
  lastDelivered: z.boolean().optional(),
  lastDeliveryStatus: z.enum(CRON_DELIVERY_STATUSES).optional(),
  lastDeliveryError: z.string().optional(),
  lastFailureAlertAtMs: EpochMs.optional(),
};
/** This gateway's bookkeeping beside upstream's state fields (not patchable through cron.update). */
const CronRunBookkeepingShape = {
  /** The scheduled time of the last slot that was executed (so a restart neither skips nor repeats it). */
  lastScheduledAtMs: EpochMs.optional(),
  /** The run in progress, persisted when it starts: after a crash it is recorded as interrupted and run again. */
  runningRunId: z.string().max(256).optional(),
  /** The scheduled slot the run in progress executes (absent for manual runs). */
  runningScheduledAtMs: EpochMs.optional(),
};
export const CronJobState = z.object({ ...CronJobStateShape, ...CronRunBookkeepingShape });
export const CronJobStatePatch = z.strictObject(CronJobStateShape);

/** What happens to slots missed while the gateway was down: run once, or skip to the next slot. */
export const CronCatchUp = z.enum(['once', 'skip']);

export const CronJob = z.object({
  id: JobId,
  agentId: z.string().optional(),
  sessionKey: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  enabled: z.boolean(),
  deleteAfterRun: z.boolean().optional(),
  createdAtMs: EpochMs,
  updatedAtMs: EpochMs,
  schedule: CronSchedule,
  sessionTarget: CronSessionTarget,
  wakeMode: CronWakeMode,
  payload: CronPayload,
  delivery: CronDelivery.optional(),
  failureAlert: CronFailureAlert.optional(),
  /** This gateway's addition; default `once`. */
  catchUp: CronCatchUp.optional(),
  state: CronJobState,
});
export type CronJob = z.infer<typeof CronJob>;

/** Fields a caller sets on cron.add; cron.update takes the same fields, all optional. */
export const CronJobInputShape = {
  name: z.string().min(1).max(200),
  /** null clears it (cron.update). */
  agentId: AgentId.nullable().optional(),
  /** The session that created the job (`current` resolves to it); null clears it. */
  sessionKey: SessionKey.nullable().optional(),
  description: z.string().max(2000).optional(),
  enabled: z.boolean().optional(),
  /** Default true for `at` schedules. */
  deleteAfterRun: z.boolean().optional(),
  schedule: CronScheduleInput,
  /** Default `main` for systemEvent payloads, `isolated` for agentTurn. */
  sessionTarget: CronSessionTarget.optional(),
  /** Default `now`. */
  wakeMode: CronWakeMode.optional(),
  payload: CronPayloadInput,
  delivery: CronDeliveryInput.optional(),
  failureAlert: CronFailureAlertInput.optional(),
  /** Missed slots while the gateway was down: `once` (default) runs one catch-up run, `skip` none. */
  catchUp: CronCatchUp.optional(),
};
