// The request pipeline every caller goes through — WebSocket connections, in-process callers (cron,
// channels, the node router, tests) and HTTP routes that map onto methods: lookup, an ordered list
// of steps (access, implemented, in-flight limit, params), the handler with its AbortSignal and
// interim answers, then the after-steps (contract checks, trace log). It knows no sockets: answers
// go to the caller's CallPort.
import type { OperatorScope } from '../../contract/define.js';
import type { Role } from '../../contract/schemas/connect.js';
import type { ErrorShape } from '../../contract/schemas/errors.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ConnectionHandle } from './connection-handle.js';
import { afterSteps, beforeSteps, type CallAttempt, type CallOutcome, type DispatchStep } from './dispatch-steps.js';
import { errorText } from './error-text.js';
import { gatewayErrors } from './error-constructors.js';
import { GatewayError, INTERNAL_ERROR } from './gateway-error.js';
import type { BoundMethod, HandlerFn } from './method-entry.js';
import { PendingCall } from './pending-call.js';

export const CANCELLED_ERROR: ErrorShape = Object.freeze(gatewayErrors.REQUEST_CANCELLED().toShape());

/** Who calls, and where the answers to its calls go. */
export interface CallPort {
  readonly role: Role;
  readonly scopes: ReadonlySet<OperatorScope>;
  /** The handle handlers see as `ctx.connection` (a socket's, or an in-process caller's). */
  readonly handle: ConnectionHandle;
  /** Calls of this caller still running, by request id (cancel and duplicate-id checks use it). */
  readonly inflight: Map<string, PendingCall>;
  /** The first of two answers (methods with an interim response). */
  interim(id: string, payload: unknown): void;
  /** The final answer; returns false when the value could not be sent (not serialisable). */
  answer(id: string, payload: unknown): boolean;
  fail(id: string, error: ErrorShape, payload?: unknown): void;
}

export interface DispatcherOptions {
  readonly methods: ReadonlyMap<string, BoundMethod>;
  readonly logger: GatewayLogger;
  readonly maxInFlight: () => number;
  /** Check results and declared errors against the contract (tests and development). */
  readonly validateContract: boolean;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

export class Dispatcher {
  private readonly before: readonly DispatchStep[];
  private readonly after: readonly DispatchStep[];
  /** Null when no after-step is active: the answer goes straight out (the hot path). */
  private readonly finishers: readonly DispatchStep[] | null;

  constructor(private readonly options: DispatcherOptions) {
    this.before = beforeSteps({ maxInFlight: options.maxInFlight });
    this.after = afterSteps({ logger: options.logger, validateContract: options.validateContract });
    this.finishers = this.after.length > 0 ? this.after : null;
  }

  get methods(): ReadonlyMap<string, BoundMethod> {
    return this.options.methods;
  }

  /** One request from `port`. Every outcome is answered through the port exactly once (or twice with an interim). */
  dispatch(port: CallPort, id: string, method: string, rawParams: unknown, traceparent?: string): void {
    if (method === 'connect') {
      port.fail(id, { code: 'INVALID_REQUEST', message: 'connect is only valid as the first request' });
      return;
    }
    const bound = this.options.methods.get(method);
    if (!bound) {
      port.fail(id, gatewayErrors.UNKNOWN_METHOD({}, `unknown method: ${method.slice(0, 128)}`).toShape());
      return;
    }
    const attempt: CallAttempt = { id, bound, params: rawParams === undefined ? {} : rawParams, port, traceparent, startedAt: 0 };
    for (const step of this.before) {
      const refused = step.check!(attempt);
      if (refused) {
        this.refuse(attempt, refused);
        return;
      }
    }
    if (this.finishers) attempt.startedAt = performance.now();
    this.invoke(attempt, bound.handler as HandlerFn);
  }

  /** Cancels an in-flight call of `port` (a v4 cancel frame, or an in-process caller's signal). */
  cancel(port: CallPort, id: string): boolean {
    const call = port.inflight.get(id);
    if (!call) return false;
    port.inflight.delete(id);
    call.settled = true;
    call.abort(gatewayErrors.REQUEST_CANCELLED());
    port.fail(id, CANCELLED_ERROR);
    return true;
  }

  /** The port went away: every call it has in flight is aborted and answered nowhere. */
  dropAll(port: CallPort, reason: string): void {
    for (const call of port.inflight.values()) {
      call.settled = true;
      call.abort(new GatewayError('UNAVAILABLE', reason));
    }
    port.inflight.clear();
  }

  private invoke(attempt: CallAttempt, handler: HandlerFn): void {
    const { port, id, bound } = attempt;
    const call = new PendingCall(bound.entry.name, id, port.role, port.scopes, port.handle, port, attempt.traceparent);
    port.inflight.set(id, call);
    let result: unknown;
    try {
      result = handler(attempt.params, call);
    } catch (error) {
      this.settle(attempt, call, this.errorOutcome(attempt, error));
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.settle(attempt, call, { ok: true, value }),
        (error: unknown) => this.settle(attempt, call, this.errorOutcome(attempt, error)),
      );
    } else {
      this.settle(attempt, call, { ok: true, value: result });
    }
  }

  private errorOutcome(attempt: CallAttempt, error: unknown): CallOutcome {
    if (error instanceof GatewayError) return { ok: false, error: error.toShape(), payload: error.payload, thrown: error };
    const fields: Record<string, unknown> = { method: attempt.bound.entry.name, connId: attempt.port.handle.connId };
    if (attempt.traceparent) fields.traceparent = attempt.traceparent;
    fields.error = errorText(error);
    fields.stack = error instanceof Error ? error.stack : undefined;
    this.options.logger.error('handler failed', fields);
    return { ok: false, error: INTERNAL_ERROR };
  }

  private settle(attempt: CallAttempt, call: PendingCall, outcome: CallOutcome): void {
    if (call.settled) return; // cancelled, or the caller went away
    call.settled = true;
    attempt.port.inflight.delete(attempt.id);
    if (this.finishers) for (const step of this.finishers) outcome = step.settled!(attempt, outcome);
    if (outcome.ok) {
      if (!attempt.port.answer(attempt.id, outcome.value)) {
        this.options.logger.error('handler result is not serialisable', { method: attempt.bound.entry.name });
        attempt.port.fail(attempt.id, INTERNAL_ERROR);
      }
    } else {
      attempt.port.fail(attempt.id, outcome.error, outcome.payload);
    }
  }

  private refuse(attempt: CallAttempt, error: ErrorShape): void {
    if (this.finishers) {
      let outcome: CallOutcome = { ok: false, error };
      for (const step of this.finishers) outcome = step.settled!(attempt, outcome);
      if (!outcome.ok) error = outcome.error;
    }
    attempt.port.fail(attempt.id, error);
  }
}
