// Agent runs (docs/methods.md, docs/events.md): `agent` answers twice (accepted, then final) and streams
// `agent` events in between.
import { z } from 'zod';
import {
  AgentId,
  Attachments,
  Count,
  EpochMs,
  IdempotencyKey,
  Ident,
  InputProvenance,
  Label,
  MessageText,
  RunId,
  SessionKey,
  TimeoutMs,
} from './common.js';

export const AgentParams = z.strictObject({
  message: MessageText.min(1),
  /** Becomes the run id; clients match `agent` events by `runId === idempotencyKey`. */
  idempotencyKey: IdempotencyKey,
  agentId: AgentId.optional(),
  sessionKey: SessionKey.optional(),
  sessionId: Ident.optional(),
  provider: Ident.optional(),
  model: Ident.optional(),
  thinking: z.string().max(64).optional(),
  label: Label.optional(),
  attachments: Attachments.optional(),
  /** Upstream's unit is seconds. */
  timeout: z.number().int().min(0).max(2_147_483).optional(),
  extraSystemPrompt: z.string().max(100_000).optional(),
  lane: Ident.optional(),
  deliver: z.boolean().optional(),
  bestEffortDeliver: z.boolean().optional(),
  to: Ident.optional(),
  replyTo: Ident.optional(),
  channel: Ident.optional(),
  replyChannel: Ident.optional(),
  accountId: Ident.optional(),
  replyAccountId: Ident.optional(),
  threadId: Ident.optional(),
  groupId: Ident.optional(),
  groupChannel: Ident.optional(),
  groupSpace: Ident.optional(),
  bootstrapContextMode: z.enum(['full', 'lightweight']).optional(),
  bootstrapContextRunKind: z.enum(['default', 'heartbeat', 'cron']).optional(),
  internalEvents: z.array(z.looseObject({ type: z.string().min(1).max(64) })).max(64).optional(),
  inputProvenance: InputProvenance.optional(),
  // Accepted for older and newer upstream clients; this gateway ignores them.
  spawnedBy: SessionKey.optional(),
  voiceWakeTrigger: z.string().max(256).optional(),
  cleanupBundleMcpOnRunEnd: z.boolean().optional(),
  modelRun: z.boolean().optional(),
  promptMode: z.enum(['full', 'minimal', 'none']).optional(),
});
export type AgentParams = z.infer<typeof AgentParams>;

/** First `res` of an `agent` call, sent as soon as the run is queued. */
export const AgentAccepted = z.object({
  runId: RunId,
  status: z.literal('accepted'),
  acceptedAt: EpochMs,
});
export type AgentAccepted = z.infer<typeof AgentAccepted>;

export const AgentReplyPayload = z.looseObject({
  text: z.string().optional(),
  mediaUrl: z.string().nullable().optional(),
  mediaUrls: z.array(z.string()).optional(),
});

/** What the run produced; community clients read `result.payloads[].text`. */
export const AgentRunResult = z.looseObject({
  payloads: z.array(AgentReplyPayload),
  meta: z
    .looseObject({
      durationMs: Count.optional(),
      stopReason: z.string().optional(),
      aborted: z.boolean().optional(),
    })
    .optional(),
});

export const AGENT_RUN_TERMINAL_STATUSES = ['ok', 'error', 'aborted', 'timeout'] as const;

/** Second `res` of an `agent` call. */
export const AgentFinal = z.object({
  runId: RunId,
  status: z.enum(['ok', 'error', 'aborted']),
  /** `completed` on success, the error text otherwise. */
  summary: z.string(),
  result: AgentRunResult.optional(),
});
export type AgentFinal = z.infer<typeof AgentFinal>;

export const AgentWaitParams = z.strictObject({
  runId: RunId,
  /** Default 30 000. */
  timeoutMs: TimeoutMs.optional(),
});

export const AgentWaitResult = z.object({
  runId: RunId,
  /** `timeout` means the wait ended, not the run; it is still an ok response. */
  status: z.enum(AGENT_RUN_TERMINAL_STATUSES),
  startedAt: EpochMs.optional(),
  endedAt: EpochMs.optional(),
  error: z.string().optional(),
});

export const AGENT_STREAMS = [
  'lifecycle',
  'assistant',
  'tool',
  'item',
  'plan',
  'approval',
  'command_output',
  'patch',
  'compaction',
  'thinking',
  'error',
] as const;

const AgentEventBase = {
  runId: RunId,
  /** Per-run, monotonic; shared with the run's `chat` events. */
  seq: Count,
  ts: EpochMs,
  sessionKey: SessionKey.optional(),
};

const LifecycleData = z.looseObject({
  phase: z.enum(['start', 'end', 'error']),
  startedAt: EpochMs.optional(),
  endedAt: EpochMs.optional(),
  livenessState: z.string().optional(),
  error: z.string().optional(),
});

const AssistantData = z.looseObject({
  /** Cumulative text. */
  text: z.string(),
  /** Increment since the previous assistant event. */
  delta: z.string(),
  replace: z.boolean().optional(),
  mediaUrls: z.array(z.string()).optional(),
  phase: z.string().optional(),
});

/** `data` of a `tool` stream event (also carried by `session.tool`). */
export const AgentToolData = z.looseObject({
  phase: z.enum(['start', 'update', 'result']),
  name: z.string(),
  toolCallId: z.string(),
  args: z.unknown().optional(),
  partialResult: z.unknown().optional(),
  meta: z.unknown().optional(),
  isError: z.boolean().optional(),
  result: z.unknown().optional(),
});

const ErrorData = z.looseObject({
  reason: z.string(),
  expected: Count.optional(),
  received: Count.optional(),
});

export const AgentEvent = z.discriminatedUnion('stream', [
  z.object({ ...AgentEventBase, stream: z.literal('lifecycle'), data: LifecycleData }),
  z.object({ ...AgentEventBase, stream: z.literal('assistant'), data: AssistantData }),
  /** Only sent to connections that declared cap `tool-events` and started or joined the run. */
  z.object({ ...AgentEventBase, stream: z.literal('tool'), data: AgentToolData }),
  z.object({ ...AgentEventBase, stream: z.literal('error'), data: ErrorData }),
  z.object({
    ...AgentEventBase,
    stream: z.enum(['item', 'plan', 'approval', 'command_output', 'patch', 'compaction', 'thinking']),
    data: z.record(z.string(), z.unknown()),
  }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;
