// Config paths as upstream writes them: dots and brackets (`agents.list[0].id`,
// `models.providers["my.host"].apiKey`), read from and written into a parsed config document.
import { CliError } from '../cli-error.js';

export type PathSegment = string | number;

const SEGMENT = /^(?:\.?([A-Za-z0-9_$*-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\])/;

export function parseConfigPath(path: string, command: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path.trim();
  if (!rest) throw new CliError(`name a config path, e.g. gateway.port; run "openclaw ${command} --help"`, 2);
  while (rest) {
    const m = SEGMENT.exec(rest);
    if (!m || (segments.length === 0 && rest.startsWith('.'))) {
      throw new CliError(`"${path}" is not a config path (use dots and brackets: agents.list[0].id); run "openclaw ${command} --help"`, 2);
    }
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(m[3]!.startsWith("'") ? m[3]!.slice(1, -1).replace(/\\(.)/g, '$1') : (JSON.parse(m[3]!) as string));
    rest = rest.slice(m[0].length);
  }
  return segments;
}

export function formatConfigPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z0-9_$*-]+$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getAtPath(doc: unknown, segments: readonly PathSegment[]): { found: boolean; value?: unknown } {
  let cursor: unknown = doc;
  for (const s of segments) {
    if (typeof s === 'number' ? !Array.isArray(cursor) || s >= cursor.length : !isRecord(cursor) || !Object.hasOwn(cursor, s)) return { found: false };
    cursor = (cursor as Record<string | number, unknown>)[s];
  }
  return { found: true, value: cursor };
}

/**
 * A copy of `doc` with the value at `segments` set (or removed when `value` is undefined).
 * Missing objects on the way are created; an index may address an existing entry or append one.
 */
export function withValueAtPath(doc: unknown, segments: readonly PathSegment[], value: unknown, command: string): unknown {
  const [head, ...tail] = segments;
  if (head === undefined) return value;
  const where = formatConfigPath(segments);
  if (typeof head === 'number') {
    const list = Array.isArray(doc) ? [...doc] : doc === undefined ? [] : undefined;
    if (!list) throw new CliError(`cannot use an index at ${where}: that part of the config is not a list`, 2);
    if (head > list.length) throw new CliError(`index ${head} is past the end of the list (it has ${list.length} entries); use [${list.length}] to append`, 2);
    if (tail.length === 0 && value === undefined) list.splice(head, 1);
    else list[head] = withValueAtPath(list[head], tail, value, command);
    return list;
  }
  if (doc !== undefined && !isRecord(doc)) throw new CliError(`cannot set ${where}: the value above it is not an object`, 2);
  const out: Record<string, unknown> = { ...(doc ?? {}) };
  if (tail.length === 0 && value === undefined) delete out[head];
  else out[head] = withValueAtPath(out[head], tail, value, command);
  return out;
}
