// Turns one run's progress into `chat` and `agent` events: a per-run seq shared by both, cumulative
// deltas throttled by size (a short reply streams chunk by chunk, a long one at most every 150 ms),
// v4-only fields kept from v3 clients, and tool events only to the run's tool-event recipients and
// (as `session.tool`, through the session tool sink) to the session's subscribers.
import type { EventPayload } from '../../generated/server/method-types.js';
import type { ConnectionHandle } from '../core/connection-handle.js';
import type { EventHub } from '../core/event-hub.js';
import type { ChatErrorKind } from '../providers/provider-error.js';
import type { AgentRunUsage } from './run-types.js';

type ChatPayload = EventPayload<'chat'>;
type AgentPayload = EventPayload<'agent'>;

/** Cumulative deltas may use at most this many characters per millisecond per run. */
const DELTA_CHARS_PER_MS = 128;
const MAX_DELTA_INTERVAL_MS = 150;
const THINKING_INTERVAL_MS = 100;

/** An `agent` event of stream `tool`. */
export type AgentToolPayload = Extract<AgentPayload, { stream: 'tool' }> & { sessionKey: string };

/** The connections following a session, each once, iterated by the event hub; `size` 0 when nobody does. */
export interface SessionRecipients extends Iterable<ConnectionHandle> {
  readonly size: number;
}

/** Where tool steps go besides the run's tool-event recipients: the session's subscribers. */
export interface SessionToolSink {
  /** Connections following this session; size 0 when nobody does (then no payload is built). */
  recipients(sessionKey: string): SessionRecipients;
  publish(event: AgentToolPayload, to: SessionRecipients): void;
}

const stripV4 = ({ deltaText: _d, replace: _r, ...rest }: ChatPayload & { deltaText?: string; replace?: boolean }): ChatPayload => rest as ChatPayload;

export class RunPublisher {
  private seq = 0;
  private text = '';
  private flushedLength = 0;
  private lastFlushAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private pendingThinking = '';
  private thinkingTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: EventHub,
    readonly runId: string,
    readonly sessionKey: string,
    private readonly recipients: ReadonlySet<ConnectionHandle>,
    private readonly sink: SessionToolSink | undefined,
  ) {}

  /** `end` and `error` first publish any text still held back by the throttle: nothing of a run streams after its end. */
  lifecycle(phase: 'start' | 'end' | 'error', data: Record<string, unknown>): void {
    if (phase !== 'start') this.flushText();
    this.agent({ stream: 'lifecycle', data: { phase, ...data } });
  }

  /** Reasoning text; batched (at most one event per THINKING_INTERVAL_MS) since models stream a lot of it. */
  thinking(delta: string): void {
    this.pendingThinking += delta;
    this.thinkingTimer ??= setTimeout(() => this.flushThinking(), THINKING_INTERVAL_MS);
  }

  private flushThinking(): void {
    clearTimeout(this.thinkingTimer);
    this.thinkingTimer = undefined;
    if (!this.pendingThinking) return;
    const delta = this.pendingThinking;
    this.pendingThinking = '';
    this.agent({ stream: 'thinking', data: { delta } });
  }

  /** New model text; published now or after a short size-based delay. */
  appendText(delta: string): void {
    if (!delta) return;
    this.text += delta;
    if (this.timer) return;
    const window = Math.min(MAX_DELTA_INTERVAL_MS, this.text.length / DELTA_CHARS_PER_MS);
    const wait = this.lastFlushAt + window - performance.now();
    if (wait <= 0) this.flushText();
    else {
      this.timer = setTimeout(() => this.flushText(), wait);
      this.timer.unref?.();
    }
  }

  /** Publishes any text not yet sent (before tools, and before the final event). */
  flushText(): void {
    this.flushThinking();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushedLength === this.text.length) return;
    const delta = this.text.slice(this.flushedLength);
    this.flushedLength = this.text.length;
    this.lastFlushAt = performance.now();
    const text = this.text;
    this.agent({ stream: 'assistant', data: { text, delta } });
    const payload = {
      runId: this.runId,
      sessionKey: this.sessionKey,
      seq: ++this.seq,
      state: 'delta' as const,
      message: { role: 'assistant' as const, content: [{ type: 'text', text }], timestamp: Date.now() },
      deltaText: delta,
    };
    this.hub.publish('chat', payload, { droppable: true, variant: (protocol) => (protocol >= 4 ? payload : stripV4(payload)) });
  }

  tool(data: { phase: 'start' | 'update' | 'result'; name: string; toolCallId: string; [key: string]: unknown }): void {
    this.flushText();
    const sink = this.sink;
    const followers = sink?.recipients(this.sessionKey);
    if (this.recipients.size === 0 && (followers === undefined || followers.size === 0)) {
      this.seq++; // keep the run's seq aligned for everyone: tool events are part of the sequence
      return;
    }
    const payload = this.agentPayload('tool', data) as AgentToolPayload;
    if (this.recipients.size > 0) this.hub.publish('agent', payload, { to: this.recipients });
    if (sink && followers && followers.size > 0) sink.publish(payload, followers);
  }

  final(usage: AgentRunUsage, stopReason: string): void {
    this.flushText();
    this.chatTerminal({ state: 'final', usage: wireUsage(usage), stopReason, ...(this.text ? { message: this.message() } : {}) });
  }

  aborted(usage: AgentRunUsage): void {
    this.flushText();
    this.chatTerminal({ state: 'aborted', usage: wireUsage(usage), stopReason: 'aborted', ...(this.text ? { message: this.message() } : {}) });
  }

  error(errorMessage: string, errorKind: ChatErrorKind, usage: AgentRunUsage): void {
    this.flushText();
    this.chatTerminal({ state: 'error', errorMessage, errorKind, usage: wireUsage(usage), ...(this.text ? { message: this.message() } : {}) });
  }

  /** Stops a pending delayed delta (the run ended). */
  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.thinkingTimer);
    this.timer = undefined;
    this.thinkingTimer = undefined;
  }

  private message(): ChatPayload['message'] & object {
    return { role: 'assistant', content: [{ type: 'text', text: this.text }], timestamp: Date.now() };
  }

  private chatTerminal(fields: Record<string, unknown>): void {
    const payload = { runId: this.runId, sessionKey: this.sessionKey, seq: ++this.seq, ...fields } as ChatPayload;
    this.hub.publish('chat', payload);
  }

  private agent(event: { stream: AgentPayload['stream']; data: Record<string, unknown> }): void {
    this.hub.publish('agent', this.agentPayload(event.stream, event.data));
  }

  private agentPayload(stream: AgentPayload['stream'], data: Record<string, unknown>): AgentPayload {
    return { runId: this.runId, seq: ++this.seq, ts: Date.now(), sessionKey: this.sessionKey, stream, data } as AgentPayload;
  }
}

function wireUsage(usage: AgentRunUsage): NonNullable<ChatPayload['usage']> {
  return {
    input: usage.input,
    output: usage.output,
    cacheRead: usage.cacheRead,
    cacheWrite: usage.cacheWrite,
    totalTokens: usage.totalTokens,
    ...(usage.cost ? { cost: usage.cost } : {}),
  };
}
