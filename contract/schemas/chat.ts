// WebChat-native chat (docs/methods.md, docs/events.md): a send acks at once, the reply streams as `chat` events.
import { z } from 'zod';
import {
  AgentId,
  Attachments,
  Count,
  IdempotencyKey,
  Ident,
  InputProvenance,
  MessageText,
  OkTrue,
  RunId,
  SessionKey,
  TimeoutMs,
  TokenUsage,
  TranscriptMessage,
} from './common.js';

export const ChatSendParams = z.strictObject({
  sessionKey: SessionKey,
  /** May be empty when attachments carry the turn. */
  message: MessageText,
  /** Becomes the run id; a repeat with the same key joins the first run instead of starting another. */
  idempotencyKey: IdempotencyKey,
  thinking: z.string().max(64).optional(),
  deliver: z.boolean().optional(),
  attachments: Attachments.optional(),
  timeoutMs: TimeoutMs.optional(),
  agentId: AgentId.optional(),
  sessionId: Ident.optional(),
  fastMode: z.union([z.boolean(), z.literal('auto')]).optional(),
  suppressCommandInterpretation: z.boolean().optional(),
  // Admin-only route and provenance overrides.
  originatingChannel: Ident.optional(),
  originatingTo: Ident.optional(),
  originatingAccountId: Ident.optional(),
  originatingThreadId: Ident.optional(),
  systemInputProvenance: InputProvenance.optional(),
  systemProvenanceReceipt: z.string().max(4096).optional(),
});
export type ChatSendParams = z.infer<typeof ChatSendParams>;

const ChatRunOutcome = z.discriminatedUnion('status', [
  z.object({ runId: RunId, status: z.literal('started') }),
  /** The same idempotencyKey is still running. */
  z.object({ runId: RunId, status: z.literal('in_flight') }),
  /** The same idempotencyKey already finished: its cached terminal outcome. */
  z.object({ runId: RunId, status: z.literal('ok') }),
  z.object({ runId: RunId, status: z.literal('error'), summary: z.string() }),
]);

export const ChatAbortResult = z.object({
  ok: OkTrue,
  aborted: z.boolean(),
  runIds: z.array(RunId),
});
export type ChatAbortResult = z.infer<typeof ChatAbortResult>;

/** A stop command (`/stop`) sent as the message answers like chat.abort instead of starting a run. */
export const ChatSendResult = z.union([ChatRunOutcome, ChatAbortResult]);
export type ChatSendResult = z.infer<typeof ChatSendResult>;

export const ChatAbortParams = z.strictObject({
  sessionKey: SessionKey,
  /** Without it every run of the session is aborted. */
  runId: RunId.optional(),
  agentId: AgentId.optional(),
});

export const ChatHistoryParams = z.strictObject({
  sessionKey: SessionKey,
  limit: z.number().int().min(1).max(1000).optional(),
  maxChars: z.number().int().min(1).max(500_000).optional(),
  agentId: AgentId.optional(),
});

export const ChatHistoryResult = z.object({
  sessionKey: SessionKey,
  /** Absent when the session has no transcript yet. */
  sessionId: z.string().optional(),
  messages: z.array(TranscriptMessage),
  thinkingLevel: z.string().optional(),
  fastMode: z.boolean().optional(),
  verboseLevel: z.string().optional(),
});
export type ChatHistoryResult = z.infer<typeof ChatHistoryResult>;

export const ChatInjectParams = z.strictObject({
  sessionKey: SessionKey,
  message: MessageText.min(1),
  label: z.string().max(100).optional(),
});

export const ChatInjectResult = z.object({ ok: OkTrue, messageId: z.string().min(1) });

export const CHAT_ERROR_KINDS = ['refusal', 'timeout', 'rate_limit', 'context_length', 'unknown'] as const;

const ChatEventBase = {
  /** The chat.send idempotencyKey, or `inject-<messageId>` for chat.inject. */
  runId: RunId,
  sessionKey: SessionKey,
  /** Per-run counter shared with the run's `agent` events; 0 for injected messages. */
  seq: Count,
  agentId: z.string().optional(),
  spawnedBy: z.string().optional(),
  usage: TokenUsage.optional(),
  stopReason: z.string().optional(),
};

export const ChatEvent = z.discriminatedUnion('state', [
  z.object({
    ...ChatEventBase,
    state: z.literal('delta'),
    /** Cumulative assistant text so far (not an increment). */
    message: TranscriptMessage,
    /** v4: the increment since the previous delta; v3 connections do not get it. */
    deltaText: z.string().optional(),
    /** v4: the text was rewritten, not extended; replace instead of appending deltaText. */
    replace: z.boolean().optional(),
  }),
  /** `message` is omitted for silent replies. */
  z.object({ ...ChatEventBase, state: z.literal('final'), message: TranscriptMessage.optional() }),
  z.object({ ...ChatEventBase, state: z.literal('aborted'), message: TranscriptMessage.optional() }),
  z.object({
    ...ChatEventBase,
    state: z.literal('error'),
    errorMessage: z.string(),
    errorKind: z.enum(CHAT_ERROR_KINDS).optional(),
    message: TranscriptMessage.optional(),
  }),
]);
export type ChatEvent = z.infer<typeof ChatEvent>;
