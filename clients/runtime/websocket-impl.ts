// Picks the WebSocket class: `ws` under Node (with an error listener, so a failed connect never
// becomes an uncaught 'error' event), the native one in browsers, or the caller's own.
import type { ClientOptions } from 'ws';

/** A WebSocket constructor in the browser-standard shape (what reconnecting-websocket expects). */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => unknown;

const isNode = (): boolean => typeof process !== 'undefined' && typeof process.versions?.node === 'string';

export async function resolveWebSocketClass(explicit: WebSocketClass | undefined, nodeOptions: ClientOptions): Promise<WebSocketClass> {
  if (explicit) return explicit;
  if (isNode()) {
    const { WebSocket } = await import('ws');
    return class NodeWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { maxPayload: 64 * 1024 * 1024, perMessageDeflate: false, ...nodeOptions });
        this.on('error', () => {});
      }
    };
  }
  const native = (globalThis as { WebSocket?: WebSocketClass }).WebSocket;
  if (!native) throw new Error('no WebSocket implementation found: pass options.WebSocket');
  return native;
}

/** Platform name for the connect frame's client info. */
export function platformName(): string {
  if (isNode()) return process.platform;
  const nav = (globalThis as { navigator?: { platform?: string } }).navigator;
  return nav?.platform || 'web';
}
