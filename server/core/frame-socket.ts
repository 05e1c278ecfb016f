import type { BrowserOrigin } from '../auth/browser-origin.js';

/** What a connection needs from its transport: a real WebSocket or the in-process pair. */
export interface FrameSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Bytes queued for sending and not yet flushed to the network. */
  readonly bufferedAmount: number;
  /** Raises the inbound frame limit once the handshake is done. */
  setMaxPayload(bytes: number): void;
  /** The handshake succeeded: the socket no longer counts against its address's pre-auth budget. */
  markAuthenticated(): void;
  readonly remoteAddress: string;
  readonly isLoopback: boolean;
  /** The page's origin when a browser opened the socket (checked on upgrade), else undefined. */
  readonly browserOrigin: BrowserOrigin | undefined;
}

/** WebSocket close reasons are limited to 123 bytes. */
export function closeReason(text: string): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= 123) return text;
  return buf.subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '') + '...';
}
