// One run's identity and state, as its handle: status, listeners, abort, the done promise, and the
// connections that get its tool events. The work itself is done by run-executor.ts.
import type { ConnectionHandle } from '../core/connection-handle.js';
import type { ResolvedModel } from '../models/model-catalog.js';
import type { AgentRunEvent, AgentRunHandle, AgentRunRequest, AgentRunResult, AgentRunStatus } from './run-types.js';

export type AbortKind = 'user' | 'timeout' | 'client' | 'shutdown';

/** The reason an aborted run's signal carries. */
export class RunAbortedError extends Error {
  constructor(
    readonly kind: AbortKind,
    message: string,
  ) {
    super(message);
    this.name = 'RunAbortedError';
  }
}

export class AgentRun implements AgentRunHandle {
  readonly controller = new AbortController();
  readonly recipients = new Set<ConnectionHandle>();
  private readonly recipientUnsubscribes: (() => void)[] = [];
  readonly done: Promise<AgentRunResult>;
  startedAt: number | undefined;
  /** Cumulative assistant text, kept current by the executor. */
  currentText = '';
  private state: AgentRunStatus = 'queued';
  private readonly listeners = new Set<(event: AgentRunEvent) => void>();
  private ended: AgentRunResult | undefined;
  private resolveDone!: (result: AgentRunResult) => void;

  constructor(
    readonly runId: string,
    readonly agentId: string,
    readonly sessionKey: string,
    readonly sessionId: string,
    readonly request: AgentRunRequest,
    readonly model: ResolvedModel,
    readonly acceptedAt: number,
    private readonly onListenerError: (error: unknown) => void,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  status(): AgentRunStatus {
    return this.state;
  }

  text(): string {
    return this.currentText;
  }

  result(): AgentRunResult | undefined {
    return this.ended;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the run was aborted, when it was. */
  get abortKind(): AbortKind | undefined {
    const reason: unknown = this.controller.signal.reason;
    return this.controller.signal.aborted ? (reason instanceof RunAbortedError ? reason.kind : 'user') : undefined;
  }

  subscribe(listener: (event: AgentRunEvent) => void): () => void {
    if (this.ended) return () => {};
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: AgentRunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  abort(reason = 'aborted by request'): boolean {
    return this.abortWith('user', reason);
  }

  abortWith(kind: AbortKind, reason: string): boolean {
    if (this.ended) return false;
    if (!this.controller.signal.aborted) this.controller.abort(new RunAbortedError(kind, reason));
    return true;
  }

  addToolEventRecipient(connection: ConnectionHandle): void {
    if (this.ended || this.recipients.has(connection) || !connection.caps.has('tool-events')) return;
    this.recipients.add(connection);
    this.recipientUnsubscribes.push(connection.onClose(() => this.recipients.delete(connection)));
  }

  markRunning(startedAt: number): void {
    this.state = 'running';
    this.startedAt = startedAt;
  }

  finish(result: AgentRunResult): void {
    if (this.ended) return;
    this.ended = result;
    this.state = result.status;
    this.emit({ type: 'end', result });
    this.listeners.clear();
    this.recipients.clear();
    for (const unsubscribe of this.recipientUnsubscribes.splice(0)) unsubscribe();
    this.resolveDone(result);
  }
}
