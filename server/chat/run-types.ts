// The agent run API: what any front end (chat.send, agent, sessions.spawn, /v1/chat/completions,
// /v1/responses, cron) hands the runtime to start a turn, and what it gets back. Every run is the
// same kind of run: same session transcript, same usage accounting, same chat/agent events.
import type { ConnectionHandle } from '../core/connection-handle.js';
import type { ModelMessage, ModelToolCall, ModelToolChoice, SamplingOptions, UserContentPart } from '../providers/model-types.js';
import type { ChatErrorKind } from '../providers/provider-error.js';
import type { StoredUsage } from '../sessions/transcript-types.js';
import type { ToolCaller } from '../tools/tool-types.js';

/** An earlier turn supplied by the caller (e.g. OpenAI `messages`), in the model message shape. */
export type ConversationMessage = ModelMessage;

/**
 * A tool the caller implements itself (OpenAI `tools` of a Responses / Chat Completions request).
 * When the model calls one, the run ends with `stopReason: 'tool_calls'` and the call in
 * `pendingToolCalls`; the caller continues with a new run whose `priorMessages` end with the result.
 */
export interface ClientToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments. */
  readonly parameters?: Record<string, unknown>;
}

/** A chat.send-style attachment: base64 `content`; images go to the model, text files are inlined. */
export interface RunAttachment {
  readonly type?: string;
  readonly mimeType?: string;
  readonly fileName?: string;
  readonly content?: string;
}

export interface AgentRunRequest {
  /** Who starts the run; its `kind` selects the tool policy (`http` callers get the HTTP deny list). */
  readonly caller: ToolCaller;
  /** Default: the agent named by `sessionKey`, else the default agent. */
  readonly agentId?: string;
  /** Canonicalised (`main` → `agent:<default>:main`). Default `agent:<agentId>:main`. */
  readonly sessionKey?: string;
  /**
   * The user's message for this turn. May be empty when attachments carry the turn, or when
   * `priorMessages` ends with tool results (a Responses `function_call_output` continuation).
   */
  readonly message: string | readonly UserContentPart[];
  readonly attachments?: readonly RunAttachment[];
  /** Added to the system prompt for this turn only (OpenAI system/developer messages, `extraSystemPrompt`). */
  readonly extraSystemPrompt?: string;
  /**
   * Earlier turns supplied by the caller. When given, they replace the session transcript as the
   * model's context for this turn (OpenAI clients resend the whole conversation); the turn itself
   * is still appended to the session transcript. System messages in it join the system prompt.
   */
  readonly priorMessages?: readonly ConversationMessage[];
  readonly clientTools?: readonly ClientToolDefinition[];
  readonly toolChoice?: ModelToolChoice;
  /** Offer the registry's tools to the model (default true). */
  readonly serverTools?: boolean;
  /** `<provider>/<model>` (or an alias) for this turn; default: the session's, then the agent's model. */
  readonly model?: string;
  /**
   * Becomes the `runId` (unless a run of another session holds that id). The same key on the same
   * session (and owner) within 5 minutes — across restarts too — returns the existing run (in
   * flight or finished) and starts nothing; on another session it is another run. Default: a random id.
   */
  readonly idempotencyKey?: string;
  /** Whose key it is besides the session (a device id); unset: any caller of the session. */
  readonly idempotencyOwner?: string;
  /**
   * Aborts the run when it fires (an HTTP client that went away). WebSocket methods do not pass
   * their request signal: a chat run belongs to its session, not to the connection that sent it.
   */
  readonly signal?: AbortSignal;
  /** Whole-run limit; default `agents.defaults.timeoutSeconds` or 600 s. */
  readonly timeoutMs?: number;
  readonly maxOutputTokens?: number;
  /** Applied to every model call of the run. */
  readonly sampling?: SamplingOptions;
  /**
   * Model calls per run; default `agents.defaults.maxToolSteps` or 16. The last one is offered no
   * tools, so the model answers with what it has, and the run ends with stopReason `max_steps`.
   */
  readonly maxToolSteps?: number;
  /** A connection (with cap `tool-events`) that gets this run's `agent` tool events. */
  readonly toolEventRecipient?: ConnectionHandle;
  /** Recorded on the session (`label`) when the run creates it. */
  readonly label?: string;
  /**
   * Thinking level for this turn (`off|minimal|low|medium|high|xhigh`, see THINKING_LEVELS); default:
   * the session's `thinkingLevel`, then the agent's / `agents.defaults` `thinkingDefault`. Sent to
   * reasoning models only. Front ends reject other strings up front; the runtime ignores them.
   */
  readonly thinking?: string;
}

export type AgentRunStatus = 'queued' | 'running' | 'ok' | 'error' | 'aborted' | 'timeout';
export type AgentRunTerminalStatus = Exclude<AgentRunStatus, 'queued' | 'running'>;

export type AgentRunStopReason =
  | 'stop'
  | 'length'
  | 'tool_calls'
  | 'content_filter'
  | 'max_steps'
  | 'aborted'
  | 'timeout'
  | 'error';

/** Tokens of a run (input excludes cache reads) and its cost; the same shape transcripts store. */
export type AgentRunUsage = StoredUsage;

export interface AgentRunResult {
  readonly runId: string;
  readonly agentId: string;
  readonly sessionKey: string;
  readonly sessionId: string;
  readonly status: AgentRunTerminalStatus;
  /** The whole assistant reply of the run (text of every model step, joined). */
  readonly text: string;
  readonly stopReason: AgentRunStopReason;
  /** Calls of client tools the model made (only with stopReason `tool_calls`). */
  readonly pendingToolCalls: readonly ModelToolCall[];
  readonly usage: AgentRunUsage;
  /** `<provider>/<model>` that answered. */
  readonly model: string;
  /** `overloaded`: the run never started, the gateway had no free run slot in time. */
  readonly error?: { readonly message: string; readonly kind: ChatErrorKind; readonly overloaded?: boolean };
  readonly startedAt: number;
  readonly endedAt: number;
}

/** What observers of a run see, in order. Text events are per model chunk (not throttled). */
export type AgentRunEvent =
  | { readonly type: 'start'; readonly startedAt: number; readonly model: string }
  | { readonly type: 'text'; readonly delta: string; readonly text: string }
  | { readonly type: 'thinking'; readonly delta: string }
  | { readonly type: 'tool_start'; readonly toolCallId: string; readonly name: string; readonly args: unknown }
  | { readonly type: 'tool_result'; readonly toolCallId: string; readonly name: string; readonly result: unknown; readonly isError: boolean }
  /** The call waits for a decision (ask outcome of the tool policy); the run is suspended meanwhile. */
  | { readonly type: 'tool_ask'; readonly toolCallId: string; readonly name: string; readonly askId: string; readonly summary: string }
  | { readonly type: 'end'; readonly result: AgentRunResult };

export interface AgentRunHandle {
  readonly runId: string;
  readonly agentId: string;
  readonly sessionKey: string;
  /** When `startRun` accepted the run (it may wait in the session queue before starting). */
  readonly acceptedAt: number;
  status(): AgentRunStatus;
  /** The assistant text so far. */
  text(): string;
  /** Listens from now on (no replay); a listener added after the end gets nothing — use `done`. */
  subscribe(listener: (event: AgentRunEvent) => void): () => void;
  /** Settles when the run ends; never rejects. */
  readonly done: Promise<AgentRunResult>;
  /** The result once ended, else undefined. */
  result(): AgentRunResult | undefined;
  /** Stops the model stream and tools; the partial reply is recorded. False when already ended. */
  abort(reason?: string): boolean;
  addToolEventRecipient(connection: ConnectionHandle): void;
}

export interface StartRunOutcome {
  readonly run: AgentRunHandle;
  /** True when the idempotency key matched an existing run: nothing new was started. */
  readonly reused: boolean;
}
