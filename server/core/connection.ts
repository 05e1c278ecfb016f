// One client connection: challenge → connect → hello-ok, framing, per-connection event seq and
// slow-consumer protection. Requests go to the dispatcher, which answers through this connection's
// CallPort methods. Transport-agnostic (a ws socket or the in-process pair).
import { randomUUID } from 'node:crypto';
import type { OperatorScope } from '../../contract/define.js';
import type { ConnectParams, Role } from '../../contract/schemas/connect.js';
import type { ErrorShape } from '../../contract/schemas/errors.js';
import type { ConnectionHandle, NodeClaims } from './connection-handle.js';
import type { ConnectionHost } from './connection-host.js';
import type { CallPort } from './dispatcher.js';
import { errorText } from './error-text.js';
import { decodeFrame, encodeError, encodeEvent, encodeOk } from './frame-codec.js';
import { closeReason, type FrameSocket } from './frame-socket.js';
import { evaluateHandshake } from './handshake.js';
import type { PendingCall } from './pending-call.js';

type State = 'handshake' | 'authenticating' | 'ready' | 'closed';

const MAX_QUEUED_DURING_AUTH = 64;
const BINARY_REFUSED: ErrorShape = Object.freeze({ code: 'INVALID_REQUEST', message: 'binary frames are not supported; send JSON text frames' });
/** Who a connection is until its connect params say otherwise (never shown: presence and logs start at hello-ok). */
const NOT_YET_IDENTIFIED: ConnectParams['client'] = Object.freeze({ id: 'gateway-client', version: '0', platform: 'unknown', mode: 'backend' });

interface QueuedFrame {
  readonly data: string;
  readonly isBinary: boolean;
}

export class Connection implements ConnectionHandle, CallPort {
  readonly connId = randomUUID();
  readonly nonce = randomUUID();
  readonly connectedAt = Date.now();
  protocol = 0;
  role: Role = 'operator';
  scopes: ReadonlySet<OperatorScope> = new Set();
  caps: ReadonlySet<string> = new Set();
  client: ConnectParams['client'] = NOT_YET_IDENTIFIED;
  deviceId: string | undefined;
  /** Set when the connection authenticated with the shared token/password (closed 4001 if it rotates). */
  sharedSecretAuth = false;
  /** A device token minted by this connect, for hello-ok (then forgotten). */
  issuedDeviceToken: { readonly token: string; readonly issuedAtMs: number } | undefined;
  nodeClaims: NodeClaims | undefined;
  readonly inflight = new Map<string, PendingCall>();

  private state: State = 'handshake';
  private seq = 0;
  private readonly queuedDuringAuth: QueuedFrame[] = [];
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
        else this.queuedDuringAuth.push({ data, isBinary });
        return;
      case 'ready':
        this.receiveReady(data, isBinary);
    }
  }

  private receiveFirst(data: string, isBinary: boolean): void {
    if (isBinary) {
      this.sendRaw(encodeError('invalid', BINARY_REFUSED));
      this.close(1000, 'binary frame');
      return;
    }
    const frame = decodeFrame(data);
    if (frame.kind === 'invalid') {
      this.sendRaw(encodeError(frame.replyId, { code: 'INVALID_REQUEST', message: frame.message }));
      this.close(frame.notJson ? 1000 : 1008, 'invalid request frame');
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
          browserOrigin: this.socket.browserOrigin,
          now: receivedAt,
        },
        settings.auth,
        this.host.rateLimiter,
        this.host.deviceGate,
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
    this.sharedSecretAuth = settings.auth.mode !== 'none' && outcome.viaSharedSecret;
    this.issuedDeviceToken = outcome.issuedDeviceToken;
    if (outcome.role === 'node') {
      const claims: NodeClaims = {
        commands: outcome.params.commands ?? [],
        approvedCommands: outcome.approvedCommands,
        permissions: outcome.params.permissions,
        pathEnv: outcome.params.pathEnv,
      };
      this.nodeClaims = claims;
    }
    clearTimeout(this.handshakeTimer);
    this.state = 'ready';
    this.socket.setMaxPayload(settings.limits.maxPayload);
    this.socket.markAuthenticated();
    this.host.onAuthenticated(this);
    this.sendRaw(encodeOk(frame.id, this.host.buildHello(this)));
    this.issuedDeviceToken = undefined;
    // Only now may events reach it: nothing but hello-ok can be its first answer.
    this.host.onReady(this);
    for (const queued of this.queuedDuringAuth.splice(0)) this.receiveReady(queued.data, queued.isBinary);
  }

  private receiveReady(data: string, isBinary: boolean): void {
    if (isBinary) {
      this.sendRaw(encodeError('invalid', BINARY_REFUSED));
      return;
    }
    const frame = decodeFrame(data);
    if (frame.kind === 'invalid') {
      this.sendRaw(encodeError(frame.replyId, { code: 'INVALID_REQUEST', message: frame.message }));
      return;
    }
    if (frame.kind === 'cancel') {
      this.host.dispatcher.cancel(this, frame.id);
      return;
    }
    try {
      this.host.dispatcher.dispatch(this, frame.id, frame.method, frame.params, frame.traceparent);
    } catch (error) {
      // Nothing a client sends may take the process down; this one frame fails, nothing else.
      this.host.logger.error('dispatch threw', { connId: this.connId, method: frame.method.slice(0, 128), error: errorText(error) });
      if (!this.inflight.has(frame.id)) this.fail(frame.id, { code: 'INVALID_REQUEST', message: 'the request could not be processed' });
    }
  }

  // CallPort: where the dispatcher's answers to this connection's calls go.
  get handle(): ConnectionHandle {
    return this;
  }

  interim(requestId: string, payload: unknown): void {
    this.sendRaw(encodeOk(requestId, payload));
  }

  answer(requestId: string, payload: unknown): boolean {
    let text: string;
    try {
      text = encodeOk(requestId, payload);
    } catch {
      return false;
    }
    this.sendRaw(text);
    return true;
  }

  fail(requestId: string, error: ErrorShape, payload?: unknown): void {
    this.sendRaw(encodeError(requestId, error, payload));
  }

  /** Sends a response-class frame (secrets masked); a consumer that stopped reading is disconnected. */
  private sendRaw(text: string): void {
    if (this.state === 'closed') return;
    if (this.socket.bufferedAmount > this.host.settings().limits.maxBufferedBytes) {
      this.close(1008, 'slow consumer');
      return;
    }
    this.socket.send(this.host.redactText(text));
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
    this.host.dispatcher.dropAll(this, 'connection closed');
    for (const listener of this.closeListeners) {
      try {
        listener();
      } catch (error) {
        this.host.logger.error('close listener failed', { connId: this.connId, error: errorText(error) });
      }
    }
    this.closeListeners.clear();
    this.host.onClosed(this);
  }
}
