// One client connection: challenge → connect → hello-ok, then request dispatch with scope checks,
// cancellation, per-connection event seq and slow-consumer protection. Transport-agnostic.
import { randomUUID } from 'node:crypto';
import type { OperatorScope } from '../../contract/define.js';
import type { ConnectParams, Role } from '../../contract/schemas/connect.js';
import type { ErrorShape } from '../../contract/schemas/errors.js';
import type { ConnectionHandle } from './connection-handle.js';
import type { ConnectionHost } from './connection-host.js';
import { decodeFrame, encodeError, encodeEvent, encodeOk } from './frame-codec.js';
import { closeReason, type FrameSocket } from './frame-socket.js';
import { GatewayError, INTERNAL_ERROR } from './gateway-error.js';
import { evaluateHandshake } from './handshake.js';
import type { BoundMethod, HandlerFn } from './method-entry.js';
import { isNotImplemented } from './not-implemented.js';
import { PendingCall, type InterimSink } from './pending-call.js';
import { checkMethodAccess, satisfyingScopes } from './scopes.js';
import { validateUntrusted } from './untrusted-input.js';
import { describeIssues, summarizeIssues } from './zod-issues.js';

type State = 'handshake' | 'authenticating' | 'ready' | 'closed';

const MAX_QUEUED_DURING_AUTH = 64;
const CANCELLED: ErrorShape = Object.freeze({
  code: 'CANCELLED',
  message: 'request cancelled by the client',
  details: { code: 'REQUEST_CANCELLED' },
});

/** A thrown value as log text; never String() an unknown value (it may throw when made a string). */
const errorText = (error: unknown): string => (error instanceof Error ? error.message : `non-Error value of type ${typeof error}`);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

export class Connection implements ConnectionHandle, InterimSink {
  readonly connId = randomUUID();
  readonly nonce = randomUUID();
  readonly connectedAt = Date.now();
  protocol = 0;
  role: Role = 'operator';
  scopes: ReadonlySet<OperatorScope> = new Set();
  caps: ReadonlySet<string> = new Set();
  client: ConnectParams['client'] = { id: 'test', version: '0', platform: 'unknown', mode: 'test' };
  deviceId: string | undefined;
  /** Set when the connection authenticated with the shared token/password (closed 4001 if it rotates). */
  sharedSecretAuth = false;

  private state: State = 'handshake';
  private seq = 0;
  private readonly inflight = new Map<string, PendingCall>();
  private readonly queuedDuringAuth: string[] = [];
  private readonly closeListeners = new Set<() => void>();
  private handshakeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: FrameSocket,
    private readonly host: ConnectionHost,
  ) {}

  get remoteAddress(): string {
    return this.socket.remoteAddress;
  }

  get isLoopback(): boolean {
    return this.socket.isLoopback;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  isReady(): boolean {
    return this.state === 'ready';
  }

  isOpen(): boolean {
    return this.state !== 'closed';
  }

  onClose(listener: () => void): () => void {
    if (this.state === 'closed') {
      listener();
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Sends the challenge and arms the handshake timeout. */
  start(): void {
    this.socket.send(encodeEvent('connect.challenge', JSON.stringify({ nonce: this.nonce, ts: Date.now() }), undefined));
    this.handshakeTimer = setTimeout(() => {
      if (this.state === 'handshake' || this.state === 'authenticating') this.close(1000, 'handshake timeout');
    }, this.host.settings().limits.handshakeTimeoutMs);
    this.handshakeTimer.unref?.();
  }

  /** One inbound WebSocket message. */
  receive(data: string, isBinary: boolean): void {
    switch (this.state) {
      case 'closed':
        return;
      case 'handshake':
        this.receiveFirst(data, isBinary);
        return;
      case 'authenticating':
        if (this.queuedDuringAuth.length >= MAX_QUEUED_DURING_AUTH) this.close(1008, 'too many frames before hello-ok');
        else this.queuedDuringAuth.push(isBinary ? '\u0000binary' : data);
        return;
      case 'ready':
        this.receiveReady(data, isBinary);
    }
  }

  private receiveFirst(data: string, isBinary: boolean): void {
    if (isBinary) {
      this.sendRaw(encodeError('invalid', { code: 'INVALID_REQUEST', message: 'binary frames are not supported; send JSON text frames' }));
      this.close(1000, 'binary frame');
      return;
    }
    const frame = decodeFrame(data);
    if (frame.kind === 'invalid') {
      this.sendRaw(encodeError(frame.replyId, { code: 'INVALID_REQUEST', message: frame.message }));
      this.close(frame.message.includes('not valid JSON') ? 1000 : 1008, 'invalid request frame');
      return;
    }
    if (frame.kind === 'cancel') {
      const message = 'invalid handshake: first request must be connect';
      this.sendRaw(encodeError(frame.id, { code: 'INVALID_REQUEST', message }));
      this.close(1008, message);
      return;
    }
    const receivedAt = Date.now();
    const settings = this.host.settings();
    let outcome: ReturnType<typeof evaluateHandshake>;
    try {
      outcome = evaluateHandshake(
        {
          method: frame.method,
          params: frame.params,
          nonce: this.nonce,
          remoteAddress: this.socket.remoteAddress,
          isLoopback: this.socket.isLoopback,
          now: receivedAt,
        },
        settings.auth,
        this.host.rateLimiter,
      );
    } catch (error) {
      // Nothing a client sends may take the process down; this one frame fails, nothing else.
      this.host.logger.error('handshake threw', { connId: this.connId, error: errorText(error) });
      const message = 'invalid connect params: the request could not be processed';
      this.sendRaw(encodeError(frame.id, { code: 'INVALID_REQUEST', message, details: { code: 'INVALID_PARAMS' } }));
      this.close(1008, message);
      return;
    }
    if (!outcome.ok) {
      const finish = (): void => {
        if (this.state === 'closed') return;
        this.sendRaw(encodeError(frame.id, outcome.error));
        this.close(outcome.closeCode, outcome.closeReason);
      };
      this.host.logger.info('handshake rejected', {
        connId: this.connId,
        remote: this.socket.remoteAddress,
        error: outcome.error.message,
      });
      if (outcome.delayed) {
        this.state = 'authenticating';
        setTimeout(finish, Math.max(0, receivedAt + settings.auth.failureDelayMs - Date.now())).unref?.();
      } else {
        finish();
      }
      return;
    }
    this.protocol = outcome.protocol;
    this.role = outcome.role;
    this.scopes = new Set(outcome.scopes);
    this.caps = new Set(outcome.params.caps);
    this.client = outcome.params.client;
    this.deviceId = outcome.deviceId;
    this.sharedSecretAuth = settings.auth.mode !== 'none';
    clearTimeout(this.handshakeTimer);
    this.state = 'ready';
    this.socket.setMaxPayload(settings.limits.maxPayload);
    this.socket.markAuthenticated();
    this.host.onAuthenticated(this);
    this.sendRaw(encodeOk(frame.id, this.host.buildHello(this)));
    // Only now may events reach it: nothing but hello-ok can be its first answer.
    this.host.onReady(this);
    for (const queued of this.queuedDuringAuth.splice(0)) this.receiveReady(queued, queued === '\u0000binary');
  }

  private receiveReady(data: string, isBinary: boolean): void {
    if (isBinary) {
      this.sendRaw(encodeError('invalid', { code: 'INVALID_REQUEST', message: 'binary frames are not supported; send JSON text frames' }));
      return;
    }
    const frame = decodeFrame(data);
    if (frame.kind === 'invalid') {
      this.sendRaw(encodeError(frame.replyId, { code: 'INVALID_REQUEST', message: frame.message }));
      return;
    }
    if (frame.kind === 'cancel') {
      this.cancel(frame.id);
      return;
    }
    try {
      this.dispatch(frame.id, frame.method, frame.params);
    } catch (error) {
      // Nothing a client sends may take the process down; this one frame fails, nothing else.
      this.host.logger.error('dispatch threw', { connId: this.connId, method: frame.method.slice(0, 128), error: errorText(error) });
      if (!this.inflight.has(frame.id)) this.replyError(frame.id, { code: 'INVALID_REQUEST', message: 'the request could not be processed' });
    }
  }

  private cancel(id: string): void {
    const call = this.inflight.get(id);
    if (!call) return; // already answered; nothing to cancel
    this.inflight.delete(id);
    call.settled = true;
    call.abort(new GatewayError('CANCELLED', CANCELLED.message, { details: { code: 'REQUEST_CANCELLED' } }));
    this.sendRaw(encodeError(id, CANCELLED));
  }

  private dispatch(id: string, method: string, rawParams: unknown): void {
    if (method === 'connect') {
      this.replyError(id, { code: 'INVALID_REQUEST', message: 'connect is only valid as the first request' });
      return;
    }
    const bound = this.host.methods.get(method);
    if (!bound) {
      this.replyError(id, {
        code: 'INVALID_REQUEST',
        message: `unknown method: ${method.slice(0, 128)}`,
        details: { code: 'UNKNOWN_METHOD' },
      });
      return;
    }
    const { entry } = bound;
    const access = checkMethodAccess(this.role, this.scopes, entry.scope);
    if (!access.ok) {
      if (access.reason === 'role') {
        this.replyError(id, {
          code: 'FORBIDDEN',
          message: `unauthorized role: ${access.role}`,
          details: { code: 'MISSING_SCOPE', role: access.role, requiredRole: entry.scope === 'node' ? 'node' : 'operator' },
        });
      } else {
        this.replyError(id, {
          code: 'FORBIDDEN',
          message: `missing scope: ${access.missingScope}`,
          details: { code: 'MISSING_SCOPE', missingScope: access.missingScope, requiredScopes: satisfyingScopes(access.missingScope) },
        });
      }
      return;
    }
    if (isNotImplemented(bound.handler)) {
      this.replyError(id, {
        code: 'UNAVAILABLE',
        message: `${entry.name} is not implemented by this gateway yet`,
        details: { code: 'NOT_IMPLEMENTED', method: entry.name },
      });
      return;
    }
    if (this.inflight.has(id)) {
      this.replyError(id, { code: 'INVALID_REQUEST', message: `duplicate request id: ${id} is still in flight` });
      return;
    }
    if (this.inflight.size >= this.host.settings().limits.maxInFlightPerConnection) {
      this.replyError(id, {
        code: 'UNAVAILABLE',
        message: 'too many requests in flight on this connection; wait for answers before sending more',
        details: { code: 'TOO_MANY_IN_FLIGHT', limit: this.host.settings().limits.maxInFlightPerConnection },
        retryable: true,
        retryAfterMs: 100,
      });
      return;
    }
    const parsed = validateUntrusted(entry.params, rawParams === undefined ? {} : rawParams);
    if (!parsed.success) {
      this.replyError(id, {
        code: 'INVALID_REQUEST',
        message: `invalid ${entry.name} params: ${describeIssues(parsed.error)}`,
        details: { code: 'INVALID_PARAMS', issues: summarizeIssues(parsed.error) },
      });
      return;
    }
    this.invoke(id, bound, bound.handler as HandlerFn, parsed.data);
  }

  private invoke(id: string, bound: BoundMethod, handler: HandlerFn, params: unknown): void {
    const call = new PendingCall(bound.entry.name, id, this.role, this.scopes, this);
    this.inflight.set(id, call);
    let result: unknown;
    try {
      result = handler(params, call);
    } catch (error) {
      this.finishWithError(id, call, bound, error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.finish(id, call, bound, value),
        (error: unknown) => this.finishWithError(id, call, bound, error),
      );
    } else {
      this.finish(id, call, bound, result);
    }
  }

  /** The first of two answers for a method with an interim response (PendingCall checks it is still open). */
  sendInterimResponse(requestId: string, payload: unknown): void {
    this.sendRaw(encodeOk(requestId, payload));
  }

  private finish(id: string, call: PendingCall, bound: BoundMethod, value: unknown): void {
    if (call.settled) return; // cancelled or connection closed
    call.settled = true;
    this.inflight.delete(id);
    if (this.host.validateResults) {
      const checked = bound.entry.result.safeParse(value);
      if (!checked.success) {
        this.host.logger.error('handler result does not match the contract', {
          method: bound.entry.name,
          issues: summarizeIssues(checked.error),
        });
        this.replyError(id, Object.assign({}, INTERNAL_ERROR, { details: { contractViolation: describeIssues(checked.error) } }));
        return;
      }
    }
    let text: string;
    try {
      text = encodeOk(id, value);
    } catch (error) {
      this.host.logger.error('handler result is not serialisable', { method: bound.entry.name, error: String(error) });
      this.replyError(id, INTERNAL_ERROR);
      return;
    }
    this.sendRaw(text);
  }

  private finishWithError(id: string, call: PendingCall, bound: BoundMethod, error: unknown): void {
    if (call.settled) return;
    call.settled = true;
    this.inflight.delete(id);
    if (error instanceof GatewayError) {
      this.sendRaw(encodeError(id, error.toShape(), error.payload));
      return;
    }
    this.host.logger.error('handler failed', {
      method: bound.entry.name,
      connId: this.connId,
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    this.replyError(id, INTERNAL_ERROR);
  }

  private replyError(id: string, error: ErrorShape): void {
    this.sendRaw(encodeError(id, error));
  }

  /** Sends a response-class frame; a consumer that stopped reading is disconnected. */
  private sendRaw(text: string): void {
    if (this.state === 'closed') return;
    if (this.socket.bufferedAmount > this.host.settings().limits.maxBufferedBytes) {
      this.close(1008, 'slow consumer');
      return;
    }
    this.socket.send(text);
  }

  /**
   * Delivers one event with this connection's next seq. A droppable event is skipped for a slow
   * consumer (its seq is still used, so the client sees the gap); any other event closes it.
   */
  deliverEvent(event: string, payloadJson: string | undefined, droppable: boolean, stateVersionJson?: string): boolean {
    if (this.state !== 'ready') return false;
    const seq = ++this.seq;
    if (this.socket.bufferedAmount > this.host.settings().limits.maxBufferedBytes) {
      if (!droppable) this.close(1008, 'slow consumer');
      return false;
    }
    this.socket.send(encodeEvent(event, payloadJson, seq, stateVersionJson));
    return true;
  }

  /** Closes from the gateway side. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.socket.close(code, closeReason(reason));
    this.handleClosed();
  }

  /** The transport reports the socket gone (either side closed it). */
  handleClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.handshakeTimer);
    this.queuedDuringAuth.length = 0;
    for (const call of this.inflight.values()) {
      call.settled = true;
      call.abort(new GatewayError('UNAVAILABLE', 'connection closed'));
    }
    this.inflight.clear();
    for (const listener of this.closeListeners) {
      try {
        listener();
      } catch (error) {
        this.host.logger.error('close listener failed', { connId: this.connId, error: String(error) });
      }
    }
    this.closeListeners.clear();
    this.host.onClosed(this);
  }
}
