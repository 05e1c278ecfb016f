// TCP connections per peer address, before HTTP or WebSocket see them. One local process holding
// thousands of idle sockets once used up the gateway's file descriptors, so every new connection
// was reset until the idle ones timed out. Now an idle socket (no request yet) lives at most
// `idleSocketTimeoutMs`; when an address (or the whole gateway, kept below its descriptor limit)
// is at its cap, a new connection takes the place of that address's oldest idle socket, so a
// client hoarding idle sockets cannot starve the rest. Fresh sockets are never evicted (a burst
// of real requests connects faster than it sends).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ConnectionGuardLimits {
  /** Open TCP connections one address may hold (HTTP and WebSocket). */
  readonly maxConnectionsPerIp: number;
  /** Connections one address may hold that have not sent a request yet. */
  readonly maxIdleSocketsPerIp: number;
  /** How long a connection may stay without sending a request. */
  readonly idleSocketTimeoutMs: number;
}

/** An idle socket younger than this is a burst still sending its requests, not a hoarder's. */
const IDLE_GRACE_MS = 2_000;
/** Descriptors kept free for files, logs and outbound connections. */
const FD_RESERVE = 256;

interface Tracked {
  readonly socket: Socket;
  readonly address: string;
  readonly openedAt: number;
  timer: NodeJS.Timeout | undefined;
}

interface AddressEntry {
  total: number;
  /** Idle sockets, oldest first (Map keeps insertion order). */
  readonly idle: Map<Socket, Tracked>;
}

/** The process's open-file limit from /proc (Linux), or undefined where it cannot be read. */
export function openFileLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

export class ConnectionGuard {
  private readonly addresses = new Map<string, AddressEntry>();
  private readonly tracked = new WeakMap<Socket, Tracked>();
  private total = 0;
  private readonly fdCap: number;
  /** Connections refused or evicted, for logs and tests. */
  refused = 0;
  evicted = 0;

  constructor(
    private readonly limits: () => ConnectionGuardLimits,
    fdLimit: number | undefined = openFileLimit(),
    private readonly now: () => number = Date.now,
  ) {
    this.fdCap = fdLimit === undefined ? Number.POSITIVE_INFINITY : Math.max(64, fdLimit - FD_RESERVE);
  }

  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (request: IncomingMessage) => this.markActive(request.socket));
    server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => this.markActive(socket as Socket));
  }

  get openConnections(): number {
    return this.total;
  }

  idleCount(address: string): number {
    return this.addresses.get(address)?.idle.size ?? 0;
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const limits = this.limits();
    let entry = this.addresses.get(address);
    if (!entry) {
      entry = { total: 0, idle: new Map() };
      this.addresses.set(address, entry);
    }
    const perIpCap = Math.min(limits.maxConnectionsPerIp, this.fdCap);
    if (entry.total >= perIpCap && !this.evictOldestIdle(entry)) return this.refuse(socket, entry, address);
    if (this.total >= this.fdCap && !this.evictOldestIdle(entry) && !this.evictAnywhere()) return this.refuse(socket, entry, address);
    if (entry.idle.size >= limits.maxIdleSocketsPerIp) this.evictOldestIdle(entry);

    const tracked: Tracked = { socket, address, openedAt: this.now(), timer: undefined };
    tracked.timer = setTimeout(() => socket.destroy(), limits.idleSocketTimeoutMs);
    tracked.timer.unref?.();
    entry.total++;
    this.total++;
    entry.idle.set(socket, tracked);
    this.tracked.set(socket, tracked);
    socket.once('close', () => this.forget(tracked));
  }

  private refuse(socket: Socket, entry: AddressEntry, address: string): void {
    this.refused++;
    socket.destroy();
    if (entry.total === 0) this.addresses.delete(address);
  }

  /** The address's oldest idle socket past its grace is closed; false when there is none. */
  private evictOldestIdle(entry: AddressEntry): boolean {
    const oldest = entry.idle.values().next().value as Tracked | undefined;
    if (!oldest || this.now() - oldest.openedAt < IDLE_GRACE_MS) return false;
    this.evicted++;
    this.markActive(oldest.socket);
    oldest.socket.destroy();
    return true;
  }

  /** The gateway is at its descriptor cap: close the address with the most idle sockets' oldest one. */
  private evictAnywhere(): boolean {
    let busiest: AddressEntry | undefined;
    for (const entry of this.addresses.values()) if (!busiest || entry.idle.size > busiest.idle.size) busiest = entry;
    return busiest !== undefined && this.evictOldestIdle(busiest);
  }

  private markActive(socket: Socket): void {
    const tracked = this.tracked.get(socket);
    if (!tracked?.timer) return;
    clearTimeout(tracked.timer);
    tracked.timer = undefined;
    this.addresses.get(tracked.address)?.idle.delete(socket);
  }

  private forget(tracked: Tracked): void {
    this.markActive(tracked.socket);
    const entry = this.addresses.get(tracked.address);
    this.total--;
    if (!entry) return;
    entry.total--;
    if (entry.total <= 0) this.addresses.delete(tracked.address);
  }
}
