// Splits a reply into PRIVMSG payloads that fit one IRC line: 512 bytes with CRLF, counting the
// `:nick!user@host ` prefix the server adds when relaying, never cutting a UTF-8 character.

export const IRC_LINE_BYTES = 512;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Bytes left for the text of `PRIVMSG <target> :<text>` relayed with `selfMask` as prefix. */
export function privmsgBudget(selfMask: string, target: string): number {
  const overhead = utf8(`:${selfMask} PRIVMSG ${target} :`) + 2;
  return Math.max(32, IRC_LINE_BYTES - overhead);
}

/** The longest prefix of `text` within `maxBytes`, preferring to break after a space. */
function cut(text: string, maxBytes: number): [string, string] {
  if (utf8(text) <= maxBytes) return [text, ''];
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  const space = text.lastIndexOf(' ', end);
  if (space > end / 2) return [text.slice(0, space), text.slice(space + 1)];
  return [text.slice(0, end), text.slice(end)];
}

/** Chunks of at most `maxChars` characters, broken at spaces where possible. */
export function chunkByChars(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars);
    const end = space > maxChars / 2 ? space : maxChars;
    out.push(rest.slice(0, end));
    rest = rest.slice(end).replace(/^ /, '');
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Reply text → line payloads: one message per text line (IRC has no newlines), each cut to
 * `chunkChars` characters and then to the byte budget of one relayed line.
 */
export function splitForIrc(text: string, options: { selfMask: string; target: string; chunkChars: number }): string[] {
  const budget = privmsgBudget(options.selfMask, options.target);
  const out: string[] = [];
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.replace(/[\0\t]/g, ' ').trimEnd();
    if (!line.trim()) continue;
    for (const chunk of chunkByChars(line, options.chunkChars)) {
      let rest = chunk;
      while (rest) {
        const [head, tail] = cut(rest, budget);
        if (head) out.push(head);
        rest = tail;
      }
    }
  }
  return out;
}
