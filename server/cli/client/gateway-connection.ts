// Connects an OpenClawClient for one command. The SDK reconnects forever, which is right for a
// program but not for a command: the first connection either reaches hello-ok within the timeout
// or fails at once with why (nothing listening, not a gateway, refused credentials).
import { WebSocket as NodeWebSocket } from 'ws';
import { OpenClawClient } from '../../../clients/openclaw-client.js';
import type { GatewayError } from '../../../clients/runtime/gateway-error.js';
import type { WebSocketClass } from '../../../clients/runtime/websocket-impl.js';
import { GATEWAY_VERSION } from '../../version.js';
import { ConnectFailure } from './gateway-failure.js';
import type { GatewayTarget } from './gateway-target.js';

export interface ConnectOptions {
  /** Budget for reaching hello-ok. */
  readonly timeoutMs: number;
  /** Requested scopes (default operator.admin; the shared token grants what is asked). */
  readonly scopes?: readonly string[];
  readonly caps?: readonly string[];
  readonly mode?: 'cli' | 'probe';
  /** Per-call timeout for calls made on the connection (default: the connect budget). */
  readonly callTimeoutMs?: number;
}

/** The last transport error a socket reported (ECONNREFUSED, an HTTP answer instead of an upgrade…). */
interface TransportNotes {
  lastError: (Error & { code?: string }) | undefined;
}

function notingWebSocket(notes: TransportNotes, handshakeTimeout: number): WebSocketClass {
  return class CliWebSocket extends NodeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: 64 * 1024 * 1024, perMessageDeflate: false, handshakeTimeout });
      this.on('error', (error: Error & { code?: string }) => {
        notes.lastError = error;
      });
    }
  };
}

export async function connectGateway(target: GatewayTarget, options: ConnectOptions): Promise<OpenClawClient> {
  const notes: TransportNotes = { lastError: undefined };
  const started = Date.now();
  const client = new OpenClawClient({
    url: target.url,
    ...(target.token ? { token: target.token } : {}),
    ...(target.password ? { password: target.password } : {}),
    scopes: options.scopes ?? ['operator.admin'],
    caps: options.caps ?? [],
    client: { id: 'cli', mode: options.mode ?? 'cli', version: GATEWAY_VERSION, displayName: 'openclaw CLI' },
    WebSocket: notingWebSocket(notes, options.timeoutMs),
    connectTimeoutMs: options.timeoutMs,
    handshakeTimeoutMs: options.timeoutMs,
    timeoutMs: options.callTimeoutMs ?? options.timeoutMs,
  });
  // The SDK reports listener and frame problems on 'error' (or console.error without a listener).
  client.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (failure?: ConnectFailure): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        offClosed();
        if (failure) reject(failure);
        else resolve();
      };
      const timer = setTimeout(
        () => finish(new ConnectFailure(target, { kind: 'timeout', elapsedMs: Date.now() - started, cause: notes.lastError })),
        options.timeoutMs,
      );
      // A socket that closes before hello-ok is this attempt's answer; the SDK would just retry.
      const offClosed = client.on('closed', ({ code, reason, final }) => {
        if (!final && client.state !== 'paused') finish(new ConnectFailure(target, { kind: 'closed', code, reason, cause: notes.lastError }));
      });
      client.connect().then(
        () => finish(),
        (error: GatewayError) => finish(new ConnectFailure(target, { kind: 'refused', error })),
      );
    });
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/** Connects, runs `work`, and always closes the client. */
export async function withGateway<T>(target: GatewayTarget, options: ConnectOptions, work: (client: OpenClawClient) => Promise<T>): Promise<T> {
  const client = await connectGateway(target, options);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}
