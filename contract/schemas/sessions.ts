// Sessions (docs/methods.md, docs/events.md `sessions.changed`, `session.message`, `session.tool`). Keys look like `agent:<agentId>:<rest>`.
import { z } from 'zod';
import { AgentId, Count, EpochMs, Ident, Label, MessageText, OkTrue, RunId, SessionKey, TokenUsage, TranscriptMessage } from './common.js';
import { AgentToolData } from './agent.js';

const Level = z.string().max(32);

export const SESSION_KINDS = ['direct', 'group', 'global', 'unknown'] as const;
export const SESSION_RUN_STATUSES = ['running', 'done', 'failed', 'killed', 'timeout'] as const;

/** The stored session entry (open: upstream stores carry many more runtime fields). */
export const SessionEntry = z.looseObject({
  sessionId: z.string(),
  updatedAt: EpochMs,
  label: z.string().optional(),
  model: z.string().optional(),
  modelProvider: z.string().optional(),
  thinkingLevel: z.string().optional(),
});

export const SessionRow = z.looseObject({
  key: SessionKey,
  kind: z.enum(SESSION_KINDS),
  updatedAt: EpochMs.nullable(),
  sessionId: z.string().optional(),
  label: z.string().optional(),
  displayName: z.string().optional(),
  derivedTitle: z.string().optional(),
  lastMessagePreview: z.string().optional(),
  channel: z.string().optional(),
  chatType: z.string().optional(),
  spawnedBy: z.string().optional(),
  parentSessionKey: z.string().optional(),
  childSessions: z.array(z.string()).optional(),
  spawnDepth: Count.optional(),
  status: z.enum(SESSION_RUN_STATUSES).optional(),
  startedAt: EpochMs.optional(),
  endedAt: EpochMs.optional(),
  runtimeMs: Count.optional(),
  abortedLastRun: z.boolean().optional(),
  thinkingLevel: z.string().optional(),
  fastMode: z.boolean().optional(),
  verboseLevel: z.string().optional(),
  reasoningLevel: z.string().optional(),
  sendPolicy: z.enum(['allow', 'deny']).optional(),
  modelProvider: z.string().optional(),
  model: z.string().optional(),
  contextTokens: Count.optional(),
  inputTokens: Count.optional(),
  outputTokens: Count.optional(),
  totalTokens: Count.optional(),
  estimatedCostUsd: z.number().min(0).optional(),
  compactionCheckpointCount: Count.optional(),
});
export type SessionRow = z.infer<typeof SessionRow>;

export const SessionsListParams = z.strictObject({
  limit: z.number().int().min(1).max(10_000).optional(),
  activeMinutes: z.number().int().min(1).max(525_600).optional(),
  includeGlobal: z.boolean().optional(),
  includeUnknown: z.boolean().optional(),
  includeDerivedTitles: z.boolean().optional(),
  includeLastMessage: z.boolean().optional(),
  label: Label.optional(),
  spawnedBy: SessionKey.optional(),
  agentId: AgentId.optional(),
  search: z.string().max(256).optional(),
});

export const SessionsListResult = z.object({
  ts: EpochMs,
  path: z.string(),
  count: Count,
  defaults: z.object({
    modelProvider: z.string().nullable(),
    model: z.string().nullable(),
    contextTokens: Count.nullable(),
  }),
  sessions: z.array(SessionRow),
});

export const SessionsPreviewParams = z.strictObject({
  keys: z.array(SessionKey).min(1).max(100),
  limit: z.number().int().min(1).max(100).optional(),
  maxChars: z.number().int().min(20).max(100_000).optional(),
});

export const SessionsPreviewResult = z.object({
  ts: EpochMs,
  previews: z.array(
    z.object({
      key: SessionKey,
      status: z.enum(['ok', 'empty', 'missing', 'error']),
      items: z.array(z.object({ role: z.enum(['user', 'assistant', 'tool', 'system', 'other']), text: z.string() })),
    }),
  ),
});

/** Every field also accepts null, which clears the override. */
export const SessionsPatchParams = z.strictObject({
  key: SessionKey,
  label: Label.nullable().optional(),
  thinkingLevel: Level.nullable().optional(),
  fastMode: z.boolean().nullable().optional(),
  verboseLevel: Level.nullable().optional(),
  traceLevel: Level.nullable().optional(),
  reasoningLevel: Level.nullable().optional(),
  responseUsage: z.enum(['off', 'tokens', 'full', 'on']).nullable().optional(),
  elevatedLevel: Level.nullable().optional(),
  execHost: Ident.nullable().optional(),
  execSecurity: z.enum(['deny', 'allowlist', 'full']).nullable().optional(),
  execAsk: z.enum(['off', 'on-miss', 'always']).nullable().optional(),
  execNode: Ident.nullable().optional(),
  model: Ident.nullable().optional(),
  spawnedBy: SessionKey.nullable().optional(),
  spawnedWorkspaceDir: z.string().max(4096).nullable().optional(),
  spawnDepth: z.number().int().min(0).max(100).nullable().optional(),
  subagentRole: z.enum(['orchestrator', 'leaf']).nullable().optional(),
  subagentControlScope: z.enum(['children', 'none']).nullable().optional(),
  sendPolicy: z.enum(['allow', 'deny']).nullable().optional(),
  groupActivation: z.enum(['mention', 'always']).nullable().optional(),
});

export const SessionsPatchResult = z.object({
  ok: OkTrue,
  path: z.string(),
  key: SessionKey,
  entry: SessionEntry,
  resolved: z.object({ modelProvider: z.string().optional(), model: z.string().optional() }),
});

export const SessionsResetParams = z.strictObject({
  key: SessionKey,
  reason: z.enum(['new', 'reset']).optional(),
});

export const SessionsResetResult = z.object({ ok: OkTrue, key: SessionKey, entry: SessionEntry });

export const SessionsDeleteParams = z.strictObject({
  key: SessionKey,
  deleteTranscript: z.boolean().optional(),
  emitLifecycleHooks: z.boolean().optional(),
});

export const SessionsDeleteResult = z.object({
  ok: OkTrue,
  key: SessionKey,
  deleted: z.boolean(),
  /** Paths the transcript was archived to. */
  archived: z.array(z.string()),
});

export const SessionsCompactParams = z.strictObject({
  key: SessionKey,
  /** Keep only the last N transcript lines; without it the model summarises the transcript. */
  maxLines: z.number().int().min(1).max(100_000).optional(),
});

export const SessionsCompactResult = z.object({
  ok: z.boolean(),
  key: SessionKey,
  compacted: z.boolean(),
  /** Lines kept (maxLines mode). */
  kept: Count.optional(),
  archived: z.string().optional(),
  /** Why nothing was compacted, e.g. `no sessionId`, `no transcript`. */
  reason: z.string().optional(),
  /** Summary mode: what the compaction produced. */
  result: z
    .looseObject({
      summary: z.string().optional(),
      tokensBefore: Count.optional(),
      tokensAfter: Count.optional(),
    })
    .optional(),
});

export const SessionsSpawnParams = z.strictObject({
  agentId: AgentId.optional(),
  key: SessionKey.optional(),
  label: Label.optional(),
  parentSessionKey: SessionKey.optional(),
  model: Ident.optional(),
  /** Sent through chat.send once the session exists. */
  message: MessageText.optional(),
  task: MessageText.optional(),
});

export const SessionsSpawnResult = z.object({
  ok: OkTrue,
  key: SessionKey,
  sessionId: z.string(),
  entry: SessionEntry.optional(),
  runStarted: z.boolean().optional(),
  runId: RunId.optional(),
  status: z.enum(['started', 'in_flight']).optional(),
  messageSeq: Count.optional(),
  runError: z.string().optional(),
});

export const SessionsChangedEvent = z.looseObject({
  sessionKey: SessionKey.optional(),
  /** create, send, patch, abort, reset, delete, compact… */
  reason: z.string().optional(),
  phase: z.enum(['start', 'message']).optional(),
  runId: RunId.optional(),
  ts: EpochMs,
  compacted: z.boolean().optional(),
  messageId: z.string().optional(),
  messageSeq: Count.optional(),
  usage: TokenUsage.optional(),
});

/** sessions.subscribe / sessions.unsubscribe: whether this connection now gets every session's `session.message`. */
export const SessionsSubscribeResult = z.object({ subscribed: z.boolean() });

export const SessionsMessagesSubscribeParams = z.strictObject({ key: SessionKey });

/** `key` is the canonical form (`main` → `agent:<default agent>:main`). */
export const SessionsMessagesSubscribeResult = z.object({ subscribed: z.boolean(), key: SessionKey });

/** A message was appended to a session transcript (user turn, assistant reply, tool result, chat.inject). */
export const SessionMessageEvent = z.looseObject({
  sessionKey: SessionKey,
  /** As chat.history shows it (with its transcript entry `id`). */
  message: TranscriptMessage,
  /** The transcript entry id. */
  messageId: z.string().optional(),
  /** 1-based position among the messages of the current transcript (restarts after reset or compaction). */
  messageSeq: Count.optional(),
  ts: EpochMs,
  /** The session row after the append. */
  session: SessionRow.optional(),
});

/** The `agent` event of a tool step (stream `tool`) with the session's row, for session subscribers. */
export const SessionToolEvent = z.looseObject({
  runId: RunId,
  /** The run's seq of this tool step; shared with its `chat` and `agent` events. */
  seq: Count,
  stream: z.literal('tool'),
  ts: EpochMs,
  sessionKey: SessionKey,
  /** `result` / `partialResult` only when the session's verboseLevel is `full`, as in `agent`. */
  data: AgentToolData,
  /** The session row when the tool step was published. */
  session: SessionRow.optional(),
});
