// What one shell word is before it runs: its source text, its value when it is fixed (quotes
// removed), and what the shell would still expand in it (parameters, substitutions, globs, ~, braces).
import { nodes, type ShellNode } from './shell-syntax.js';

export interface ShellWord {
  /** The word as written. */
  readonly text: string;
  /** Its value after quote removal, when nothing in it is expanded at run time. */
  readonly value: string | undefined;
  /** `$x`, `${…}`, `$(…)`, backticks, `$((…))`. */
  readonly expands: boolean;
  /** An unquoted `*`, `?`, `[…]` or extended glob. */
  readonly glob: boolean;
  /** An unquoted leading `~`. */
  readonly tilde: boolean;
  /** An unquoted `{a,b}` or `{1..3}`. */
  readonly brace: boolean;
  /** Only a process substitution (`<(…)`): a /dev/fd path. */
  readonly procSubst: boolean;
}

/** The source, as UTF-8 bytes (the parser's offsets are byte offsets). */
export class ShellSource {
  readonly bytes: Buffer;
  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8');
  }
  slice(start: number, end: number): string {
    return this.bytes.subarray(start, end).toString('utf8');
  }
}

const GLOB = /(^|[^\\])([*?]|\[[^\]]*\])/;
const BRACE = /\{[^{}\s]*(,|\.\.)[^{}\s]*\}/;
const DQ_ESCAPES = new Set(['$', '`', '"', '\\', '\n']);

/** Removes the backslashes of an unquoted literal (`a\ b` → `a b`; a backslash-newline vanishes). */
function unescapeUnquoted(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      const next = raw[++i]!;
      if (next !== '\n') out += next;
    } else out += c;
  }
  return out;
}

function unescapeDoubleQuoted(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length && DQ_ESCAPES.has(raw[i + 1]!)) {
      const next = raw[++i]!;
      if (next !== '\n') out += next;
    } else out += c;
  }
  return out;
}

const ANSI_SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** `$'…'` escapes; undefined for escapes this reader does not know (the word is then treated as unknown). */
function decodeAnsiC(raw: string): string | undefined {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[++i];
    if (next === undefined) return undefined;
    if (next in ANSI_SIMPLE) out += ANSI_SIMPLE[next];
    else if (next === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(raw.slice(i + 1))?.[0];
      if (!hex) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += hex.length;
    } else if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(raw.slice(i))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length - 1;
    } else return undefined;
  }
  return out;
}

/** Start and end byte offsets of a word part, for showing it as written. */
function span(part: ShellNode): [number, number] | undefined {
  const n = (key: string): number | undefined => (typeof part[key] === 'number' ? (part[key] as number) : undefined);
  switch (part.type) {
    case 'Lit':
      return n('ValuePos') !== undefined && n('ValueEnd') !== undefined ? [n('ValuePos')!, n('ValueEnd')!] : undefined;
    case 'SglQuoted':
    case 'DblQuoted':
    case 'CmdSubst':
      return n('Left') !== undefined && n('Right') !== undefined ? [n('Left')!, n('Right')! + 1] : undefined;
    case 'ArithmExp':
      return n('Left') !== undefined && n('Right') !== undefined ? [n('Left')!, n('Right')! + 2] : undefined;
    case 'ParamExp': {
      const start = n('Dollar');
      if (start === undefined) return undefined;
      if (n('Rbrace') !== undefined) return [start, n('Rbrace')! + 1];
      const param = part.Param as ShellNode | undefined;
      return param && typeof param.ValueEnd === 'number' ? [start, param.ValueEnd] : [start, start + 1];
    }
    case 'ProcSubst':
      return n('OpPos') !== undefined && n('Rparen') !== undefined ? [n('OpPos')!, n('Rparen')! + 1] : undefined;
    default:
      return undefined;
  }
}

export function wordSpan(word: ShellNode): [number, number] | undefined {
  const parts = nodes(word, 'Parts');
  if (parts.length === 0) return undefined;
  const first = span(parts[0]!);
  const last = span(parts[parts.length - 1]!);
  return first && last ? [first[0], last[1]] : undefined;
}

export function analyzeWord(word: ShellNode, source: ShellSource): ShellWord {
  const parts = nodes(word, 'Parts');
  let value: string | undefined = '';
  let expands = false;
  let glob = false;
  let tilde = false;
  let brace = false;
  let procSubst = parts.length > 0;
  parts.forEach((part, index) => {
    if (part.type !== 'ProcSubst') procSubst = false;
    switch (part.type) {
      case 'Lit': {
        const raw = (part.Value as string | undefined) ?? '';
        if (GLOB.test(raw)) glob = true;
        if (index === 0 && raw.startsWith('~')) tilde = true;
        if (BRACE.test(raw)) brace = true;
        if (value !== undefined) value += unescapeUnquoted(raw);
        break;
      }
      case 'SglQuoted': {
        const raw = (part.Value as string | undefined) ?? '';
        const decoded = part.Dollar === true ? decodeAnsiC(raw) : raw;
        if (decoded === undefined) value = undefined;
        else if (value !== undefined) value += decoded;
        break;
      }
      case 'DblQuoted':
        for (const inner of nodes(part, 'Parts')) {
          if (inner.type === 'Lit') {
            if (value !== undefined) value += unescapeDoubleQuoted((inner.Value as string | undefined) ?? '');
          } else {
            expands = true;
            value = undefined;
          }
        }
        break;
      case 'ExtGlob':
      case 'BraceExp':
        glob = glob || part.type === 'ExtGlob';
        brace = brace || part.type === 'BraceExp';
        value = undefined;
        break;
      default:
        expands = expands || part.type !== 'ProcSubst';
        value = undefined;
    }
  });
  const range = wordSpan(word);
  const text = range ? source.slice(range[0], range[1]) : (value ?? '…');
  return { text, value: glob || tilde || brace ? undefined : value, expands, glob, tilde, brace, procSubst };
}
