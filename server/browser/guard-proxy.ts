// The navigation guard on the wire: a forward proxy on loopback that the browser must use for every
// connection (pages, redirects, subresources, fetches, WebSockets, service workers, loopback too via
// `<-loopback>`). Each request's host is resolved here, every address checked, and the connection
// made to a checked address, so neither a redirect nor a second DNS answer reaches a refused host.
// Playwright's route interception cannot do this: it sees only the first URL of a redirect chain.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { pinnedLookup, type Resolved } from '../http/remote-fetch.js';
import { BrowserError } from './browser-error.js';
import type { NavigationPolicy } from './browser-settings.js';
import { resolveAllowedHost } from './navigation-guard.js';

/** A request the guard refused, kept so the action that caused it can say why. */
export interface GuardRefusal {
  readonly at: number;
  readonly host: string;
  readonly reason: string;
}

const MAX_REFUSALS = 32;
/** Host answers kept per browser: a page asks for many resources on few hosts. */
const LOOKUP_CACHE = { max: 512, ttl: 30_000 };
/** Request headers that configure the hop to the proxy, not the request. */
const PROXY_HEADERS = new Set(['proxy-connection', 'proxy-authorization']);

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  const port = match[2] ? Number(match[2]) : defaultPort;
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

export class GuardProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Duplex>();
  private readonly refusals: GuardRefusal[] = [];
  private readonly lookups = new LRUCache<string, readonly Resolved[]>(LOOKUP_CACHE);
  private url: string | undefined;

  constructor(
    private readonly policy: () => NavigationPolicy,
    /** Limit for resolving and connecting to one host. */
    private readonly connectTimeoutMs = 30_000,
  ) {
    this.server = createServer((req, res) => void this.forward(req, res));
    this.server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.tunnel(req, socket, head));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head));
    this.server.on('connection', (socket: Socket) => this.track(socket));
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** Listens on 127.0.0.1 (an ephemeral port); returns the proxy URL for Chromium. */
  async start(): Promise<string> {
    if (this.url) return this.url;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Refusals at or after `since` (epoch ms), oldest first. */
  refusedSince(since: number): GuardRefusal[] {
    return this.refusals.filter((r) => r.at >= since);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (!this.url) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private async allowed(authorityHost: string): Promise<readonly Resolved[] | undefined> {
    const host = authorityHost.replace(/^\[|\]$/g, '');
    try {
      return await resolveAllowedHost(host, this.policy(), AbortSignal.timeout(this.connectTimeoutMs), this.lookups);
    } catch (error) {
      const reason = error instanceof BrowserError ? error.message.replace(/^\[\w+\] /, '') : `cannot resolve ${host}`;
      this.refusals.push({ at: Date.now(), host, reason });
      if (this.refusals.length > MAX_REFUSALS) this.refusals.shift();
      return undefined;
    }
  }

  /** A plain-http request in absolute form (`GET http://host/path`). */
  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (url.protocol !== 'http:') {
      res.writeHead(400).end();
      return;
    }
    const targets = await this.allowed(url.hostname);
    if (!targets) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`Blocked by the OpenClaw navigation guard: ${url.hostname}`);
      req.resume();
      return;
    }
    const headers: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (!PROXY_HEADERS.has(req.rawHeaders[i]!.toLowerCase())) headers.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    }
    const upstream = httpRequest({
      host: url.hostname,
      port: url.port || 80,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers,
      agent: false,
      lookup: pinnedLookup(targets),
      timeout: this.connectTimeoutMs,
    });
    upstream.on('response', (answer) => {
      // The limit was for reaching the server: a slow or long-lived response may idle.
      upstream.setTimeout(0);
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  /** `CONNECT host:port` (https, wss): a raw tunnel to a checked address. */
  private async tunnel(req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    this.track(client);
    const target = splitHostPort(req.url ?? '', 443);
    const targets = target ? await this.allowed(target.host) : undefined;
    if (!target || !targets) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.pipeTo(client, targets[0]!.address, target.port, (upstream) => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
    });
  }

  /** A plain `ws://` upgrade sent in absolute form: replayed to a checked address, then piped. */
  private async upgrade(req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    this.track(client);
    let url: URL | undefined;
    try {
      url = new URL(req.url ?? '');
    } catch {
      url = undefined;
    }
    const targets = url?.protocol === 'http:' || url?.protocol === 'ws:' ? await this.allowed(url.hostname) : undefined;
    if (!url || !targets) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    let preamble = `${req.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1\r\n`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (!PROXY_HEADERS.has(req.rawHeaders[i]!.toLowerCase())) preamble += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
    }
    const destination = url;
    this.pipeTo(client, targets[0]!.address, Number(destination.port || 80), (upstream) => {
      upstream.write(`${preamble}\r\n`);
      if (head.length > 0) upstream.write(head);
    });
  }

  private pipeTo(client: Duplex, address: string, port: number, onOpen: (upstream: Socket) => void): void {
    const upstream = netConnect({ host: address, port, timeout: this.connectTimeoutMs });
    this.track(upstream);
    upstream.once('connect', () => {
      upstream.setTimeout(0);
      onOpen(upstream);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('timeout', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
    upstream.once('close', () => client.destroy());
    client.once('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
  }
}
