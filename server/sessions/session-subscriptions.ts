// sessions.subscribe / sessions.messages.subscribe (docs/methods.md) and the `session.message` and
// `session.tool` events (docs/events.md). Who listens is kept per connection and forgotten when the connection
// closes; appends to a transcript and a run's tool steps are announced only to connections
// subscribed to that session or to all sessions (tool steps whether or not they declared `tool-events`).
import type { SessionsHandlers } from '../../generated/server/handlers.js';
import type { EventPayload } from '../../generated/server/method-types.js';
import { configuredHistoryMaxChars, historyMessages } from '../chat/chat-history.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import type { ConnectionHandle } from '../core/connection-handle.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import type { Mutable } from '../core/mutable.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { AgentToolPayload, SessionRecipients, SessionToolSink } from '../chat/run-publisher.js';
import { toSessionRow } from './session-rows.js';
import type { MessageEntry } from './transcript-types.js';

/** Per-session message subscriptions one connection may hold at once. */
export const MAX_MESSAGE_SUBSCRIPTIONS = 256;

const NOBODY: ReadonlySet<ConnectionHandle> = new Set();

/**
 * The all-session subscribers, then the key's subscribers that are not among them: each connection
 * once, without copying either set (this runs for every transcript append and tool step).
 */
class RecipientUnion implements SessionRecipients {
  private counted = -1;

  constructor(
    private readonly all: ReadonlySet<ConnectionHandle>,
    private readonly perKey: ReadonlySet<ConnectionHandle>,
  ) {}

  get size(): number {
    if (this.counted < 0) {
      let extra = 0;
      for (const connection of this.perKey) if (!this.all.has(connection)) extra++;
      this.counted = this.all.size + extra;
    }
    return this.counted;
  }

  *[Symbol.iterator](): Iterator<ConnectionHandle> {
    yield* this.all;
    for (const connection of this.perKey) if (!this.all.has(connection)) yield connection;
  }
}

export type SessionSubscriptionMethod =
  | 'sessions.subscribe'
  | 'sessions.unsubscribe'
  | 'sessions.messages.subscribe'
  | 'sessions.messages.unsubscribe';

interface ConnectionSubscriptions {
  all: boolean;
  readonly keys: Set<string>;
  readonly offClose: () => void;
}

/** Who gets `session.message`, per connection and per canonical session key. */
export class SessionSubscriptions {
  private readonly byConnection = new Map<ConnectionHandle, ConnectionSubscriptions>();
  private readonly byKey = new Map<string, Set<ConnectionHandle>>();
  private readonly allSessions = new Set<ConnectionHandle>();

  constructor(private readonly maxKeysPerConnection = MAX_MESSAGE_SUBSCRIPTIONS) {}

  /** Connections holding any subscription (tests check that closed ones are gone). */
  get connectionCount(): number {
    return this.byConnection.size;
  }

  subscribeAll(connection: ConnectionHandle): void {
    const state = this.stateOf(connection);
    if (!state) return;
    state.all = true;
    this.allSessions.add(connection);
  }

  unsubscribeAll(connection: ConnectionHandle): void {
    const state = this.byConnection.get(connection);
    if (!state) return;
    state.all = false;
    this.allSessions.delete(connection);
    this.dropIfEmpty(connection, state);
  }

  /** Throws INVALID_REQUEST / SUBSCRIPTION_LIMIT when the connection already holds the maximum. */
  subscribeKey(connection: ConnectionHandle, key: string): void {
    const existing = this.byConnection.get(connection);
    if (existing?.keys.has(key)) return;
    if (existing && existing.keys.size >= this.maxKeysPerConnection) {
      throw errorsFor('sessions.messages.subscribe').SUBSCRIPTION_LIMIT(
        { limit: this.maxKeysPerConnection },
        `a connection may follow at most ${this.maxKeysPerConnection} sessions; sessions.messages.unsubscribe some, or use sessions.subscribe for all of them`,
      );
    }
    const state = existing ?? this.stateOf(connection);
    if (!state) return;
    state.keys.add(key);
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(connection);
  }

  unsubscribeKey(connection: ConnectionHandle, key: string): void {
    const state = this.byConnection.get(connection);
    if (!state || !state.keys.delete(key)) return;
    this.removeFromKey(connection, key);
    this.dropIfEmpty(connection, state);
  }

  /**
   * The connections that get `session.message` / `session.tool` for this key, each once (size 0:
   * nobody, skip the work). Read it before anything can subscribe or unsubscribe (the hub iterates
   * it synchronously); when both kinds of subscribers exist it is a view over the live sets, not a copy.
   */
  recipients(key: string): SessionRecipients {
    const perKey = this.byKey.get(key);
    if (this.allSessions.size === 0) return perKey ?? NOBODY;
    if (!perKey) return this.allSessions;
    return new RecipientUnion(this.allSessions, perKey);
  }

  /** Forgets everything of a connection (on close). */
  forget(connection: ConnectionHandle): void {
    const state = this.byConnection.get(connection);
    if (!state) return;
    this.byConnection.delete(connection);
    state.offClose();
    this.allSessions.delete(connection);
    for (const key of state.keys) this.removeFromKey(connection, key);
  }

  /** The connection's state, created with a close hook; undefined when it has already closed. */
  private stateOf(connection: ConnectionHandle): ConnectionSubscriptions | undefined {
    const existing = this.byConnection.get(connection);
    if (existing) return existing;
    if (!connection.isOpen()) return undefined;
    const state: ConnectionSubscriptions = { all: false, keys: new Set(), offClose: connection.onClose(() => this.forget(connection)) };
    this.byConnection.set(connection, state);
    return state;
  }

  private removeFromKey(connection: ConnectionHandle, key: string): void {
    const set = this.byKey.get(key);
    if (!set) return;
    set.delete(connection);
    if (set.size === 0) this.byKey.delete(key);
  }

  private dropIfEmpty(connection: ConnectionHandle, state: ConnectionSubscriptions): void {
    if (!state.all && state.keys.size === 0) this.forget(connection);
  }
}

/** Announces transcript appends to the registry's subscribers; returns the sink runs hand tool steps to. */
export function wireSessionSubscriptions(rt: GatewayRuntime, agents: AgentRuntime, registry: SessionSubscriptions): SessionToolSink {
  agents.sessions.onMessageAppended((sessionKey, entry, messageSeq) => publishSessionMessage(rt, agents, registry, sessionKey, entry, messageSeq));
  return {
    recipients: (sessionKey) => registry.recipients(sessionKey),
    publish: (event, to) => publishSessionTool(rt, agents, event, to),
  };
}

function publishSessionMessage(rt: GatewayRuntime, agents: AgentRuntime, registry: SessionSubscriptions, sessionKey: string, entry: MessageEntry, messageSeq: number): void {
  const to = registry.recipients(sessionKey);
  if (to.size === 0) return;
  const maxChars = configuredHistoryMaxChars(rt.config.config);
  const [message] = historyMessages([entry], 1, maxChars);
  if (!message) return;
  const stored = agents.sessions.get(sessionKey);
  const payload: EventPayload<'session.message'> = {
    sessionKey,
    message,
    messageId: entry.id,
    messageSeq,
    ts: Date.now(),
    ...(stored ? { session: toSessionRow(sessionKey, stored, { lastMessage: true }) } : {}),
  };
  rt.hub.publish('session.message', payload, { to });
}

/** The run's `agent` tool event, as is (verbose stripping already applied), plus the session row. */
function publishSessionTool(rt: GatewayRuntime, agents: AgentRuntime, event: AgentToolPayload, to: SessionRecipients): void {
  const sessionKey = event.sessionKey;
  const payload: Mutable<EventPayload<'session.tool'>> = { runId: event.runId, seq: event.seq, stream: 'tool', ts: event.ts, sessionKey, data: event.data };
  const stored = agents.sessions.get(sessionKey);
  if (stored) payload.session = toSessionRow(sessionKey, stored, { lastMessage: true });
  rt.hub.publish('session.tool', payload, { to });
}

export function createSessionSubscriptionHandlers(agents: AgentRuntime): Pick<SessionsHandlers, SessionSubscriptionMethod> {
  const registry = agents.subscriptions;
  const { sessions } = agents;
  return {
    'sessions.subscribe': (_params, ctx) => {
      registry.subscribeAll(ctx.connection);
      return { subscribed: true };
    },
    'sessions.unsubscribe': (_params, ctx) => {
      registry.unsubscribeAll(ctx.connection);
      return { subscribed: false };
    },
    'sessions.messages.subscribe': (params, ctx) => {
      const key = sessions.canonical(params.key);
      registry.subscribeKey(ctx.connection, key);
      return { subscribed: true, key };
    },
    'sessions.messages.unsubscribe': (params, ctx) => {
      const key = sessions.canonical(params.key);
      registry.unsubscribeKey(ctx.connection, key);
      return { subscribed: false, key };
    },
  };
}
