// One IRC protocol line (RFC 1459 / 2812 framing, IRCv3 tags tolerated): parsed from what the
// server sends and formatted for what we send, never letting CR, LF or NUL into a parameter.

export interface IrcMessage {
  /** `nick!user@host` or a server name; empty when the line had none. */
  readonly prefix: string;
  /** Upper-case command or three-digit numeric. */
  readonly command: string;
  readonly params: readonly string[];
}

export interface IrcSource {
  readonly nick: string;
  readonly user: string | undefined;
  readonly host: string | undefined;
}

/** Parses one line without its CRLF; undefined for an empty or malformed line. */
export function parseIrcLine(raw: string): IrcMessage | undefined {
  let rest = raw;
  if (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    if (space < 0) return undefined;
    rest = rest.slice(space + 1).trimStart();
  }
  let prefix = '';
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    if (space < 0) return undefined;
    prefix = rest.slice(1, space);
    rest = rest.slice(space + 1).trimStart();
  }
  const params: string[] = [];
  let command = '';
  while (rest.length > 0) {
    if (rest.startsWith(':') && command) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(' ');
    const word = space < 0 ? rest : rest.slice(0, space);
    rest = space < 0 ? '' : rest.slice(space + 1).trimStart();
    if (!command) command = word.toUpperCase();
    else params.push(word);
  }
  if (!command) return undefined;
  return { prefix, command, params };
}

export function parseSource(prefix: string): IrcSource {
  const bang = prefix.indexOf('!');
  const at = prefix.indexOf('@', bang < 0 ? 0 : bang);
  if (bang < 0 && at < 0) return { nick: prefix, user: undefined, host: undefined };
  const nickEnd = bang >= 0 ? bang : at;
  return {
    nick: prefix.slice(0, nickEnd),
    user: bang >= 0 ? prefix.slice(bang + 1, at >= 0 ? at : undefined) : undefined,
    host: at >= 0 ? prefix.slice(at + 1) : undefined,
  };
}

const UNSAFE = /[\r\n\0]/g;

/** A middle parameter (no spaces, not starting with `:`); throws on one that cannot be sent. */
function middle(param: string): string {
  if (!param || /[\s\0]/.test(param) || param.startsWith(':')) throw new Error(`invalid IRC parameter ${JSON.stringify(param)}`);
  return param;
}

/** `COMMAND a b :trailing` — the last parameter may hold spaces. */
export function formatIrcLine(command: string, params: readonly string[] = [], trailing?: string): string {
  const parts = [command, ...params.map(middle)];
  if (trailing !== undefined) parts.push(`:${trailing.replace(UNSAFE, ' ')}`);
  return parts.join(' ');
}

/** `#`, `&`, `+` and `!` start channel names (RFC 2811). */
export function isChannelName(target: string): boolean {
  return /^[#&+!]/.test(target);
}

/** A target we may send to: a nick or a channel, no spaces, commas or control characters. */
export function isValidTarget(target: string): boolean {
  return target.length > 0 && target.length <= 200 && !/[\s,\0-\x1f\x7f]/.test(target) && !target.startsWith(':');
}

/** RFC 1459 case mapping: `[]\~` are the upper case of `{}|^`. */
export function ircLower(value: string): string {
  return value.toLowerCase().replace(/[[\]\\~]/g, (c) => ({ '[': '{', ']': '}', '\\': '|', '~': '^' })[c] ?? c);
}
