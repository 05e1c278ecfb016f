// One live IRC connection over node:net or node:tls: registration (PASS/NICK/USER), nick
// collisions with a bounded fallback, NickServ identify, joins, PING/PONG both ways with a
// timeout, flood-controlled sends, and one `closed` outcome saying why it ended and whether
// retrying can help. Reconnecting is the channel manager's job, never this class's.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { formatIrcLine, isValidTarget, parseIrcLine, parseSource, type IrcMessage, type IrcSource } from './irc-line.js';
import { DEFAULT_SEND_QUEUE, IrcSendQueue, type SendQueueOptions } from './irc-send-queue.js';
import { splitForIrc } from './irc-text-split.js';

/** Where to connect and who to be. */
export interface IrcIdentity {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly nick: string;
  readonly username: string;
  readonly realname: string;
}

export interface IrcConnectOptions extends IrcIdentity {
  readonly password?: string | undefined;
  readonly nickserv?: { readonly service: string; readonly password: string; readonly register: boolean; readonly email?: string | undefined } | undefined;
  readonly channels: readonly string[];
  /** Alternative nicks tried on 433/436 before giving up (default 5). */
  readonly maxNickAttempts?: number;
  readonly registerTimeoutMs?: number;
  /** Silence before we PING the server (default 60 s). */
  readonly pingIntervalMs?: number;
  /** How long a PING may go unanswered before the connection counts as dead (default 30 s). */
  readonly pingTimeoutMs?: number;
  readonly sendQueue?: SendQueueOptions;
  readonly signal?: AbortSignal;
}

export interface IrcPrivmsg {
  readonly source: IrcSource;
  readonly target: string;
  readonly text: string;
  /** `ACTION` for /me; other CTCP requests are not delivered. */
  readonly ctcp?: 'ACTION';
  readonly receivedAt: number;
}

export interface IrcConnectionEvents {
  onPrivmsg(message: IrcPrivmsg): void;
  onNotice?(text: string): void;
  onActivity?(at: number): void;
}

export interface IrcConnectionEnd {
  readonly error: string;
  /** Retrying cannot help (refused password, banned, invalid nick, untrusted certificate). */
  readonly fatal: boolean;
}

export class IrcConnectError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

const MAX_LINE_CHARS = 16_384;
const FATAL_TLS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;
const REFUSED_LOGIN = /password|access denied|banned|[kgz]-?lined/i;

export class IrcConnection {
  nick: string;
  /** `nick!user@host` as the server relays us (a long placeholder host until it told us). */
  selfMask: string;
  readonly closed: Promise<IrcConnectionEnd>;
  private readonly socket: Socket;
  private readonly queue: IrcSendQueue;
  private buffer = '';
  private registered = false;
  private nickAttempt = 0;
  private endReason: IrcConnectionEnd | undefined;
  private lastRx = Date.now();
  private pingSentAt: number | undefined;
  private readonly pongWaiters = new Map<string, (at: number | Error) => void>();
  private timer: NodeJS.Timeout | undefined;
  private settleConnect: { resolve: () => void; reject: (error: IrcConnectError) => void } | undefined;
  private resolveClosed!: (end: IrcConnectionEnd) => void;

  /** Connects and registers; resolves once the server welcomed us (001). */
  static open(options: IrcConnectOptions, events: IrcConnectionEvents): Promise<IrcConnection> {
    return new Promise((resolve, reject) => {
      const connection = new IrcConnection(options, events, {
        resolve: () => resolve(connection),
        reject,
      });
    });
  }

  private constructor(
    private readonly options: IrcConnectOptions,
    private readonly events: IrcConnectionEvents,
    settle: { resolve: () => void; reject: (error: IrcConnectError) => void },
  ) {
    this.nick = options.nick;
    this.selfMask = `${options.nick}!~${options.username}@${'h'.repeat(63)}`;
    this.settleConnect = settle;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.socket = options.tls
      ? tlsConnect({ host: options.host, port: options.port, servername: /^[\d.:]+$/.test(options.host) ? undefined : options.host })
      : netConnect({ host: options.host, port: options.port });
    this.socket.setNoDelay(true);
    this.socket.setEncoding('utf8');
    this.queue = new IrcSendQueue((line, done) => this.writeRaw(line, done), options.sendQueue ?? DEFAULT_SEND_QUEUE);
    this.socket.once(options.tls ? 'secureConnect' : 'connect', () => this.register());
    this.socket.on('data', (chunk: string) => this.receive(chunk));
    this.socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      this.fail(`${code ? `${code}: ` : ''}${error.message}`, FATAL_TLS.test(code));
    });
    this.socket.on('close', () => this.finish());
    const abort = (): void => void this.quit('shutting down');
    if (options.signal?.aborted) queueMicrotask(abort);
    else options.signal?.addEventListener('abort', abort, { once: true });
    const registerTimeout = options.registerTimeoutMs ?? 30_000;
    this.timer = setTimeout(() => this.fail(`no welcome from ${options.host}:${options.port} within ${registerTimeout} ms`, false, true), registerTimeout);
  }

  get isOpen(): boolean {
    return this.endReason === undefined && !this.socket.destroyed;
  }

  /** Sends a reply, split into lines that fit and paced by flood control; resolves with the line count. */
  async send(target: string, text: string, chunkChars: number): Promise<number> {
    if (!isValidTarget(target)) throw new Error(`invalid IRC target ${JSON.stringify(target)}`);
    if (!this.isOpen) throw new Error('not connected');
    const lines = splitForIrc(text, { selfMask: this.selfMask, target, chunkChars });
    await Promise.all(lines.map((line) => this.queue.enqueue(formatIrcLine('PRIVMSG', [target], line))));
    return lines.length;
  }

  /** Round trip to the server (PING/PONG); rejects after `timeoutMs`. */
  ping(timeoutMs: number): Promise<number> {
    const token = `probe-${Date.now().toString(36)}`;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pongWaiters.delete(token);
        reject(new Error(`no PONG within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pongWaiters.set(token, (at) => {
        clearTimeout(timer);
        if (at instanceof Error) reject(at);
        else resolve(at - started);
      });
      this.writeRaw(formatIrcLine('PING', [], token));
    });
  }

  /** QUIT, then the socket ends (destroyed if the server does not close it within 2 s). */
  async quit(reason: string): Promise<void> {
    if (!this.isOpen) return;
    this.endReason ??= { error: `stopped: ${reason}`, fatal: false };
    this.writeRaw(formatIrcLine('QUIT', [], reason));
    this.socket.end();
    const force = setTimeout(() => this.socket.destroy(), 2000);
    force.unref?.();
    await this.closed;
    clearTimeout(force);
  }

  private writeRaw(line: string, done?: (error?: Error) => void): void {
    if (this.socket.destroyed || !this.socket.writable) {
      done?.(new Error('not connected'));
      return;
    }
    this.socket.write(`${line}\r\n`, (error) => done?.(error ?? undefined));
  }

  private register(): void {
    if (this.options.password) this.writeRaw(formatIrcLine('PASS', [], this.options.password));
    this.writeRaw(formatIrcLine('NICK', [this.nick]));
    this.writeRaw(formatIrcLine('USER', [this.options.username, '0', '*'], this.options.realname));
  }

  private receive(chunk: string): void {
    this.lastRx = Date.now();
    this.events.onActivity?.(this.lastRx);
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      const message = parseIrcLine(line);
      if (message) this.handle(message);
      if (!this.isOpen) return;
    }
    if (this.buffer.length > MAX_LINE_CHARS) this.fail('server sent a line longer than 16 KiB', false, true);
  }

  private handle(m: IrcMessage): void {
    const p = m.params;
    switch (m.command) {
      case 'PING':
        this.writeRaw(formatIrcLine('PONG', [], p[0] ?? ''));
        return;
      case 'PONG': {
        const token = p[p.length - 1] ?? '';
        this.pingSentAt = undefined;
        this.pongWaiters.get(token)?.(Date.now());
        this.pongWaiters.delete(token);
        return;
      }
      case '001':
        return this.welcomed(m);
      case '432':
        return this.fail(`the server refused nick ${JSON.stringify(this.nick)} (432 ${p[p.length - 1] ?? ''}); set channels.irc.nick to a valid nick`, true, true);
      case '433':
      case '436':
      case '437':
        if (!this.registered) this.nextNick();
        return;
      case '464':
        return this.fail(`the server refused the password (464 ${p[p.length - 1] ?? 'password incorrect'}); check channels.irc.password`, true, true);
      case '465':
        return this.fail(`banned from this server (465 ${p[p.length - 1] ?? ''})`, true, true);
      case 'ERROR': {
        const text = p[0] ?? '';
        // Before the welcome, some servers (ngircd) answer a bad PASS with ERROR only, no 464.
        if (!this.registered && REFUSED_LOGIN.test(text)) return this.fail(`the server refused the login (${text}); check channels.irc.password`, true);
        this.endReason ??= { error: `server closed the link: ${text}`, fatal: false };
        return;
      }
      case 'NICK': {
        const source = parseSource(m.prefix);
        if (source.nick === this.nick && p[0]) {
          this.nick = p[0];
          this.selfMask = `${p[0]}${m.prefix.slice(source.nick.length)}`;
        }
        return;
      }
      case 'JOIN':
        if (parseSource(m.prefix).nick === this.nick && m.prefix.includes('@')) this.selfMask = m.prefix;
        return;
      case 'PRIVMSG':
        return this.privmsg(m);
      case 'NOTICE':
        if (this.registered) this.events.onNotice?.(p[p.length - 1] ?? '');
        return;
      default:
        return;
    }
  }

  private welcomed(m: IrcMessage): void {
    this.registered = true;
    this.nick = m.params[0] ?? this.nick;
    const mask = (m.params[m.params.length - 1] ?? '').split(' ').pop() ?? '';
    if (mask.startsWith(`${this.nick}!`) && mask.includes('@')) this.selfMask = mask;
    clearTimeout(this.timer);
    this.timer = setInterval(() => this.keepalive(), Math.min(this.options.pingIntervalMs ?? 60_000, this.options.pingTimeoutMs ?? 30_000) / 2);
    this.timer.unref?.();
    const ns = this.options.nickserv;
    if (ns) {
      const text = ns.register && ns.email ? `REGISTER ${ns.password} ${ns.email}` : `IDENTIFY ${ns.password}`;
      void this.queue.enqueue(formatIrcLine('PRIVMSG', [ns.service], text)).catch(() => {});
    }
    for (const batch of joinBatches(this.options.channels)) void this.queue.enqueue(formatIrcLine('JOIN', [batch])).catch(() => {});
    const settle = this.settleConnect;
    this.settleConnect = undefined;
    settle?.resolve();
  }

  private nextNick(): void {
    const max = this.options.maxNickAttempts ?? 5;
    if (this.nickAttempt >= max) {
      this.fail(`nick ${JSON.stringify(this.options.nick)} and ${max} alternatives are in use`, false, true);
      return;
    }
    this.nickAttempt++;
    const base = this.options.nick.slice(0, 24);
    this.nick = this.nickAttempt <= 2 ? `${base}${'_'.repeat(this.nickAttempt)}` : `${base}${Math.floor(Math.random() * 9000) + 1000}`;
    this.writeRaw(formatIrcLine('NICK', [this.nick]));
  }

  private privmsg(m: IrcMessage): void {
    const target = m.params[0];
    let text = m.params[1];
    if (!this.registered || !target || text === undefined || !m.prefix) return;
    const source = parseSource(m.prefix);
    if (source.nick === this.nick) return;
    let ctcp: 'ACTION' | undefined;
    if (text.startsWith('\x01')) {
      const body = text.replace(/^\x01|\x01$/g, '');
      if (!body.startsWith('ACTION ')) return;
      ctcp = 'ACTION';
      text = body.slice(7);
    }
    const message: IrcPrivmsg = ctcp ? { source, target, text, ctcp, receivedAt: this.lastRx } : { source, target, text, receivedAt: this.lastRx };
    this.events.onPrivmsg(message);
  }

  private keepalive(): void {
    const now = Date.now();
    const timeout = this.options.pingTimeoutMs ?? 30_000;
    if (this.pingSentAt !== undefined && now - this.pingSentAt > timeout) {
      this.fail(`ping timeout: no answer from the server for ${Math.round((now - this.lastRx) / 1000)} s`, false, true);
      return;
    }
    if (this.pingSentAt === undefined && now - this.lastRx >= (this.options.pingIntervalMs ?? 60_000)) {
      this.pingSentAt = now;
      this.writeRaw(formatIrcLine('PING', [], `keepalive-${now}`));
    }
  }

  /** Records why the connection ends (the first reason wins) and optionally tears it down now. */
  private fail(error: string, fatal: boolean, destroy = false): void {
    this.endReason ??= { error, fatal };
    if (destroy) this.socket.destroy();
  }

  private finish(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    const end = this.endReason ?? { error: 'connection closed by the server', fatal: false };
    this.endReason = end;
    this.queue.close(new Error(`not connected: ${end.error}`));
    for (const waiter of this.pongWaiters.values()) waiter(new Error(`not connected: ${end.error}`));
    this.pongWaiters.clear();
    const settle = this.settleConnect;
    this.settleConnect = undefined;
    settle?.reject(new IrcConnectError(end.error, end.fatal));
    this.resolveClosed(end);
  }
}

/** JOIN lines of several channels each, well inside one line. */
function joinBatches(channels: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const channel of channels) {
    if (!isValidTarget(channel)) continue;
    if (current && current.length + channel.length + 1 > 400) {
      out.push(current);
      current = '';
    }
    current = current ? `${current},${channel}` : channel;
  }
  if (current) out.push(current);
  return out;
}
