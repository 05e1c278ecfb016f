// Direct access to the node request and response under @hono/node-server: reading a header or the
// peer address from the IncomingMessage skips building web Headers/Request objects per request.
// Outside the node adapter (app.request in tests) everything falls back to Hono's own accessors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

export type HttpEnv = { Bindings: { incoming: IncomingMessage; outgoing: ServerResponse } };

export const incomingOf = (c: Context): IncomingMessage | undefined => (c.env as Partial<HttpEnv['Bindings']> | undefined)?.incoming;
export const outgoingOf = (c: Context): ServerResponse | undefined => (c.env as Partial<HttpEnv['Bindings']> | undefined)?.outgoing;

/** One request header (lower-case name); repeated headers are joined as node joins them. */
export function headerOf(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function remoteAddressOf(c: Context): string {
  return incomingOf(c)?.socket.remoteAddress ?? 'unknown';
}
