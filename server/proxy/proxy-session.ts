// One browser ↔ gateway pair. The proxy greets the browser with a challenge of its own (clients wait
// for one before `connect`); the browser's first frame must be `connect`; the proxy waits for the
// upstream challenge, sends that connect with the token and capped scopes, then relays frames both
// ways with backpressure. The token never travels towards the browser.
import { randomUUID } from 'node:crypto';
import WebSocket, { type RawData } from 'ws';
import { CLOSE_UPSTREAM_LOST, CLOSE_UPSTREAM_UNAVAILABLE, sanitizeCloseCode, truncateReason } from './proxy-close.js';
import type { ProxySettings } from './proxy-settings.js';

const MAX_FIRST_FRAME_BYTES = 64 * 1024;
/** Pause reading from one leg while this much is unwritten on the other. */
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
/** Bytes of browser frames held while the gateway has not yet accepted connect. */
const MAX_QUEUED_BYTES = 1024 * 1024;

export interface ProxyLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

interface Leg {
  readonly ws: WebSocket;
  /** Bytes handed to `send` and not yet written out. */
  unwritten: number;
  alive: boolean;
}

type Phase = 'await-connect' | 'authenticating' | 'open' | 'closed';

const text = (data: RawData): string =>
  Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');

export class ProxySession {
  private phase: Phase = 'await-connect';
  private readonly browser: Leg;
  private upstream: Leg | undefined;
  private connectFrame: { id: string; params: Record<string, unknown> } | undefined;
  private challenged = false;
  private readonly queued: string[] = [];
  private queuedBytes = 0;
  /** Gateway events that arrived before the hello-ok (kept so the browser sees every seq). */
  private readonly earlyEvents: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    browser: WebSocket,
    private readonly settings: ProxySettings,
    private readonly scopeCap: readonly string[],
    private readonly maxPayload: number,
    private readonly logger: ProxyLogger | undefined,
  ) {
    this.browser = { ws: browser, unwritten: 0, alive: true };
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  start(): void {
    const { ws } = this.browser;
    ws.on('error', () => {});
    ws.on('pong', () => (this.browser.alive = true));
    ws.on('message', (data, isBinary) => this.fromBrowser(data, isBinary));
    ws.on('close', (code, reason) => this.browserClosed(code, reason.toString()));
    this.timers.push(setTimeout(() => this.fail(4000, 'no connect request from the browser in time'), this.settings.firstFrameTimeoutMs));
    this.timers.push(setTimeout(() => this.fail(CLOSE_UPSTREAM_UNAVAILABLE, 'gateway did not accept the connection in time'), this.settings.upstreamTimeoutMs));
    // The protocol's first step. Its nonce is the proxy's: device proofs never pass the proxy.
    ws.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: randomUUID(), ts: Date.now() } }));
    this.openUpstream();
  }

  private openUpstream(): void {
    const ws = new WebSocket(this.settings.upstreamUrl, {
      maxPayload: this.maxPayload,
      perMessageDeflate: false,
      handshakeTimeout: this.settings.upstreamTimeoutMs,
    });
    const leg: Leg = { ws, unwritten: 0, alive: true };
    this.upstream = leg;
    ws.on('error', (error) => this.logger?.warn('proxy upstream error', { error: error.message }));
    ws.on('pong', () => (leg.alive = true));
    ws.on('open', () => this.trySendConnect());
    ws.on('message', (data, isBinary) => this.fromUpstream(data, isBinary));
    ws.on('close', (code, reason) => this.upstreamClosed(code, reason.toString()));
  }

  private fromBrowser(data: RawData, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'await-connect') {
      const size = Buffer.isBuffer(data) ? data.length : text(data).length;
      if (isBinary || size > MAX_FIRST_FRAME_BYTES) return this.fail(isBinary ? 4000 : 1009, 'first frame must be a connect request (JSON text, at most 64 KiB)');
      let frame: { type?: unknown; id?: unknown; method?: unknown; params?: unknown };
      try {
        frame = JSON.parse(text(data)) as typeof frame;
      } catch {
        return this.fail(4000, 'first frame must be a connect request (it was not JSON)');
      }
      if (frame?.type !== 'req' || frame.method !== 'connect' || typeof frame.id !== 'string' || !frame.id) {
        return this.fail(4000, 'first frame must be a connect request');
      }
      const params = frame.params && typeof frame.params === 'object' && !Array.isArray(frame.params) ? (frame.params as Record<string, unknown>) : {};
      this.connectFrame = { id: frame.id, params };
      this.phase = 'authenticating';
      this.trySendConnect();
      return;
    }
    if (this.phase === 'authenticating') {
      const frameText = text(data);
      this.queuedBytes += Buffer.byteLength(frameText);
      if (this.queued.length >= this.settings.maxQueuedFrames || this.queuedBytes > MAX_QUEUED_BYTES) {
        return this.fail(1008, 'too many frames before the gateway accepted connect');
      }
      this.queued.push(frameText);
      return;
    }
    this.forward(this.browser, this.upstream!, isBinary ? data : text(data), isBinary);
  }

  /** The browser's connect with the proxy's credentials and the scope cap applied. */
  private upstreamConnect(): Record<string, unknown> {
    const params: Record<string, unknown> = { ...this.connectFrame!.params };
    delete params.device;
    delete params.auth;
    params.role = 'operator';
    const requested = Array.isArray(params.scopes) ? params.scopes : ['operator.read', 'operator.write'];
    params.scopes = requested.filter((s): s is string => typeof s === 'string' && this.scopeCap.includes(s));
    if (this.settings.token) params.auth = { token: this.settings.token };
    else if (this.settings.password) params.auth = { password: this.settings.password };
    return params;
  }

  private trySendConnect(): void {
    const up = this.upstream;
    if (this.phase !== 'authenticating' || !this.challenged || !this.connectFrame || up?.ws.readyState !== WebSocket.OPEN) return;
    up.ws.send(JSON.stringify({ type: 'req', id: this.connectFrame.id, method: 'connect', params: this.upstreamConnect() }));
  }

  private fromUpstream(data: RawData, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    if (this.phase !== 'open') {
      let frame: { type?: string; event?: string; id?: string; ok?: boolean; payload?: { auth?: Record<string, unknown> } };
      try {
        frame = JSON.parse(text(data)) as typeof frame;
      } catch {
        return;
      }
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        this.challenged = true;
        this.trySendConnect();
        return;
      }
      if (frame.type === 'event' && this.earlyEvents.length < this.settings.maxQueuedFrames) this.earlyEvents.push(text(data));
      if (frame.type !== 'res' || !this.connectFrame || frame.id !== this.connectFrame.id) return;
      // Device tokens are credentials too; the browser never holds any.
      if (frame.ok && frame.payload?.auth) delete frame.payload.auth.deviceToken;
      this.sendToBrowser(JSON.stringify(frame));
      if (!frame.ok) return; // the gateway closes the upstream socket; its close ends the pair
      this.phase = 'open';
      for (const t of this.timers.splice(0)) clearTimeout(t);
      for (const event of this.earlyEvents.splice(0)) this.sendToBrowser(event);
      this.queuedBytes = 0;
      for (const queuedFrame of this.queued.splice(0)) this.forward(this.browser, this.upstream!, queuedFrame, false);
      return;
    }
    if (isBinary) return this.forward(this.upstream!, this.browser, data, true);
    this.sendToBrowser(text(data));
  }

  /** Relays a gateway frame, withholding any that contains the proxy's secret. */
  private sendToBrowser(frame: string): void {
    const secret = this.settings.token || this.settings.password;
    if (secret && frame.includes(secret)) {
      this.logger?.warn('proxy withheld a gateway frame that contained the gateway secret');
      let id: unknown;
      try {
        id = (JSON.parse(frame) as { type?: string; id?: unknown }).id;
      } catch {
        id = undefined;
      }
      if (typeof id !== 'string') return;
      frame = JSON.stringify({ type: 'res', id, ok: false, error: { code: 'INTERNAL', message: 'response withheld by the proxy: it contained a credential' } });
    }
    this.forward(this.upstream!, this.browser, frame, false);
  }

  private forward(from: Leg, to: Leg, data: string | RawData, binary: boolean): void {
    if (to.ws.readyState !== WebSocket.OPEN) return;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : Buffer.isBuffer(data) ? data.length : 0;
    to.unwritten += size;
    to.ws.send(data as string, { binary }, () => {
      to.unwritten -= size;
      if (from.ws.isPaused && to.unwritten <= LOW_WATER_BYTES) {
        // Its pong may still sit unread behind the pause: count the leg alive until the next ping.
        from.alive = true;
        from.ws.resume();
      }
    });
    if (to.unwritten > HIGH_WATER_BYTES && !from.ws.isPaused) from.ws.pause();
  }

  /** Keepalive on both legs; a leg that missed the last pong is cut. */
  ping(): void {
    for (const leg of [this.browser, this.upstream]) {
      if (!leg || leg.ws.readyState !== WebSocket.OPEN) continue;
      // A leg the proxy paused (the other side is congested) cannot read its pongs; it is not dead.
      if (leg.ws.isPaused) continue;
      if (!leg.alive) {
        leg.ws.terminate();
        continue;
      }
      leg.alive = false;
      leg.ws.ping();
    }
  }

  /** The proxy ends the pair: the browser learns why, the upstream is closed normally. */
  private fail(code: number, reason: string): void {
    if (!this.finish()) return;
    this.logger?.info('proxy connection refused', { code, reason });
    this.closeLeg(this.browser, code, reason);
    this.closeLeg(this.upstream, 1000, 'browser connection closed by the proxy');
  }

  private browserClosed(code: number, reason: string): void {
    if (!this.finish()) return;
    this.closeLeg(this.upstream, sanitizeCloseCode(code, 1001), reason || 'browser went away');
  }

  private upstreamClosed(code: number, reason: string): void {
    const wasOpen = this.phase === 'open';
    if (!this.finish()) return;
    const fallback = wasOpen ? CLOSE_UPSTREAM_LOST : CLOSE_UPSTREAM_UNAVAILABLE;
    const lost = code === 1005 || code === 1006 || !reason;
    this.closeLeg(this.browser, sanitizeCloseCode(code, fallback), lost ? (wasOpen ? 'gateway connection lost' : 'gateway unavailable') : reason);
  }

  private finish(): boolean {
    if (this.phase === 'closed') return false;
    this.phase = 'closed';
    for (const t of this.timers.splice(0)) clearTimeout(t);
    this.queued.length = 0;
    for (const listener of this.closeListeners) listener();
    return true;
  }

  private closeLeg(leg: Leg | undefined, code: number, reason: string): void {
    if (!leg) return;
    const { ws } = leg;
    if (ws.readyState === WebSocket.OPEN) ws.close(code, truncateReason(reason));
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  }

  /** Ends the pair from the host side (proxy shutdown). */
  shutdown(code: number, reason: string): void {
    this.fail(code, reason);
  }
}
