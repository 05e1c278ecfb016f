// The tests' own IRC client: a raw socket that registers, joins, sends PRIVMSGs and waits for lines.
import { connect, type Socket } from 'node:net';

export interface IrcLine {
  readonly raw: string;
  readonly prefix: string;
  readonly command: string;
  readonly params: string[];
  readonly at: number;
}

function parse(raw: string): IrcLine {
  let rest = raw;
  let prefix = '';
  if (rest.startsWith(':')) {
    const i = rest.indexOf(' ');
    prefix = rest.slice(1, i);
    rest = rest.slice(i + 1);
  }
  const trailingAt = rest.indexOf(' :');
  const head = trailingAt >= 0 ? rest.slice(0, trailingAt) : rest;
  const params = head.split(' ').filter(Boolean);
  const command = params.shift() ?? '';
  if (trailingAt >= 0) params.push(rest.slice(trailingAt + 2));
  return { raw, prefix, command, params, at: performance.now() };
}

export class IrcTestClient {
  readonly lines: IrcLine[] = [];
  private readonly waiters: { match: (l: IrcLine) => boolean; resolve: (l: IrcLine) => void }[] = [];
  private buffer = '';

  private constructor(
    readonly nick: string,
    private readonly socket: Socket,
  ) {
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        const line = parse(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 2);
        if (line.command === 'PING') this.raw(`PONG :${line.params[0] ?? ''}`);
        const w = this.waiters.findIndex((x) => x.match(line));
        if (w >= 0) this.waiters.splice(w, 1)[0]!.resolve(line);
        else this.lines.push(line);
      }
    });
  }

  static async connect(port: number, nick: string, options: { user?: string; password?: string } = {}): Promise<IrcTestClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new IrcTestClient(nick, socket);
    if (options.password) client.raw(`PASS ${options.password}`);
    client.raw(`NICK ${nick}`);
    client.raw(`USER ${options.user ?? nick} 0 * :${nick}`);
    await client.waitFor((l) => l.command === '001');
    return client;
  }

  raw(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  privmsg(target: string, text: string): void {
    this.raw(`PRIVMSG ${target} :${text}`);
  }

  async join(channel: string): Promise<void> {
    this.raw(`JOIN ${channel}`);
    await this.waitFor((l) => l.command === '366' && l.params[1]?.toLowerCase() === channel.toLowerCase());
  }

  /** The next line matching (earlier unclaimed lines first). */
  waitFor(match: (l: IrcLine) => boolean, timeoutMs = 20_000): Promise<IrcLine> {
    const i = this.lines.findIndex(match);
    if (i >= 0) return Promise.resolve(this.lines.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (l: IrcLine) => (clearTimeout(timer), resolve(l)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.nick}: no matching IRC line within ${timeoutMs} ms; got:\n${this.lines.map((l) => l.raw).join('\n')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The next PRIVMSG from `from` to this client (or to `target`). */
  message(from: string, target = this.nick, timeoutMs?: number): Promise<IrcLine> {
    return this.waitFor((l) => l.command === 'PRIVMSG' && l.prefix.split('!')[0]?.toLowerCase() === from.toLowerCase() && l.params[0]?.toLowerCase() === target.toLowerCase(), timeoutMs);
  }

  close(): void {
    this.raw('QUIT :bye');
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
  }
}
