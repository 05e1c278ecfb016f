import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { FrameSocket } from '../core/frame-socket.js';

export function isLoopbackAddress(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || address.startsWith('127.');
}

interface ReceiverWithLimit {
  _maxPayload?: number;
}

/** Adapts a `ws` socket to the connection's transport interface. */
export class WsFrameSocket implements FrameSocket {
  readonly remoteAddress: string;
  readonly isLoopback: boolean;
  readonly origin: string | undefined;

  constructor(
    private readonly ws: WebSocket,
    request: IncomingMessage,
    private readonly onAuthenticated: () => void,
  ) {
    this.remoteAddress = request.socket.remoteAddress ?? 'unknown';
    this.isLoopback = isLoopbackAddress(this.remoteAddress);
    const origin = request.headers.origin;
    this.origin = typeof origin === 'string' ? origin : undefined;
  }

  send(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  markAuthenticated(): void {
    this.onAuthenticated();
  }

  setMaxPayload(bytes: number): void {
    // ws fixes maxPayload per server; the receiver keeps it in a field we raise after the handshake.
    const receiver = (this.ws as unknown as { _receiver?: ReceiverWithLimit })._receiver;
    if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
  }
}
