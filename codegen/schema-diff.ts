// Compares two JSON Schemas (as zod's z.toJSONSchema emits them) for wire compatibility.
// Direction matters: an `input` schema (params, client frames, config) must keep accepting what it
// accepted, so narrowing it breaks clients; an `output` schema (results, event payloads) must keep
// producing only what clients already understand, so removing or loosening what they rely on breaks them.

import { isDeepStrictEqual } from 'node:util';

export type Direction = 'input' | 'output';
export type ChangeKind = 'breaking' | 'additive';

export interface SchemaChange {
  readonly kind: ChangeKind;
  /** JSONPath-style location in protocol.schema.json, e.g. `$.methods['logs.tail'].params.properties.limit`. */
  readonly path: string;
  readonly message: string;
}

type Schema = Record<string, unknown>;

const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'] as const;
/** Keys that describe a value without constraining it. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => JSON.stringify(v);

/** Appends a property name to a path, quoting names that are not plain identifiers. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${show(key).replace(/^"|"$/g, "'")}]`;
}

function constraintKeys(s: Schema): string[] {
  return Object.keys(s).filter((k) => !ANNOTATIONS.has(k));
}

const isAny = (s: Schema): boolean => constraintKeys(s).length === 0;

function unionMembers(s: Schema): Schema[] | undefined {
  const members = (s.anyOf ?? s.oneOf) as unknown;
  return Array.isArray(members) ? members.filter(isSchema) : undefined;
}

/** The JSON types a schema admits ('number' admits 'integer'); undefined = unconstrained. */
function typeSet(s: Schema): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type as string[]);
  const values = enumValues(s);
  if (values) return new Set(values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)));
  return undefined;
}

function enumValues(s: Schema): unknown[] | undefined {
  if ('const' in s) return [s.const];
  return Array.isArray(s.enum) ? s.enum : undefined;
}

const admits = (types: Set<string>, t: string): boolean => types.has(t) || (t === 'integer' && types.has('number'));

/** A short label for a union member: its discriminator value or its type. */
function memberKey(s: Schema): string {
  if (isSchema(s.properties)) {
    for (const [name, prop] of Object.entries(s.properties)) {
      if (isSchema(prop) && 'const' in prop) return `${name}=${show(prop.const)}`;
    }
  }
  const values = enumValues(s);
  if (values && values.length === 1) return `const ${show(values[0])}`;
  const types = typeSet(s);
  return types ? [...types].sort().join('|') : typeof s.$ref === 'string' ? `ref ${s.$ref}` : 'any';
}

export class SchemaDiff {
  readonly changes: SchemaChange[] = [];

  private add(kind: ChangeKind, path: string, message: string): void {
    this.changes.push({ kind, path, message });
  }

  /** Reports a narrowing (fewer values allowed) at `path`. */
  private narrowed(dir: Direction, path: string, message: string): void {
    this.add(dir === 'input' ? 'breaking' : 'additive', path, message);
  }

  /** Reports a widening (more values allowed) at `path`. */
  private widened(dir: Direction, path: string, message: string, outputBreaks = true): void {
    this.add(dir === 'input' || !outputBreaks ? 'additive' : 'breaking', path, message);
  }

  compare(before: unknown, after: unknown, path: string, dir: Direction): void {
    if (isDeepStrictEqual(before, after)) return;
    if (!isSchema(before) || !isSchema(after)) {
      if (before === false) this.widened(dir, path, 'now allowed');
      else if (after === false) this.narrowed(dir, path, 'no longer allowed');
      return;
    }
    if (isAny(before) !== isAny(after)) {
      if (isAny(before)) this.narrowed(dir, path, `was unconstrained, now ${memberKey(after)}`);
      else this.widened(dir, path, `was ${memberKey(before)}, now unconstrained`);
      return;
    }
    const beforeMembers = unionMembers(before);
    const afterMembers = unionMembers(after);
    if (beforeMembers || afterMembers) {
      this.compareUnion(beforeMembers ?? [before], afterMembers ?? [after], path, dir);
      return;
    }
    if (before.$ref !== after.$ref) {
      this.add('breaking', path, `reference changed from ${show(before.$ref)} to ${show(after.$ref)}`);
      return;
    }
    this.compareTypes(before, after, path, dir);
    this.compareValues(before, after, path, dir);
    this.compareBounds(before, after, path, dir);
    this.compareObject(before, after, path, dir);
    if ('items' in before || 'items' in after) this.compare(before.items ?? {}, after.items ?? {}, childPath(path, 'items'), dir);
    if ('propertyNames' in before || 'propertyNames' in after) {
      this.compare(before.propertyNames ?? {}, after.propertyNames ?? {}, childPath(path, 'propertyNames'), dir);
    }
    const prefixBefore = Array.isArray(before.prefixItems) ? before.prefixItems : [];
    const prefixAfter = Array.isArray(after.prefixItems) ? after.prefixItems : [];
    for (let i = 0; i < Math.max(prefixBefore.length, prefixAfter.length); i++) {
      this.compare(prefixBefore[i] ?? {}, prefixAfter[i] ?? {}, childPath(childPath(path, 'prefixItems'), i), dir);
    }
  }

  private compareUnion(before: Schema[], after: Schema[], path: string, dir: Direction): void {
    const unmatched = new Set(after.map((_, i) => i));
    const take = (predicate: (s: Schema) => boolean): number | undefined => {
      for (const i of unmatched) if (predicate(after[i]!)) return i;
      return undefined;
    };
    const pairs: [Schema, Schema][] = [];
    const removed: Schema[] = [];
    for (const member of before) {
      const i = take((s) => isDeepStrictEqual(s, member)) ?? take((s) => memberKey(s) === memberKey(member));
      if (i === undefined) removed.push(member);
      else {
        unmatched.delete(i);
        pairs.push([member, after[i]!]);
      }
    }
    // Members that changed both shape and label (e.g. a renamed type) still pair up by order.
    for (const member of [...removed]) {
      const i = unmatched.values().next().value;
      if (i === undefined || before.length !== after.length) break;
      unmatched.delete(i);
      removed.splice(removed.indexOf(member), 1);
      pairs.push([member, after[i]!]);
    }
    for (const [b, a] of pairs) this.compare(b, a, path, dir);
    for (const member of removed) this.narrowed(dir, path, `union member ${memberKey(member)} removed`);
    for (const i of unmatched) this.widened(dir, path, `union member ${memberKey(after[i]!)} added`);
  }

  private compareTypes(before: Schema, after: Schema, path: string, dir: Direction): void {
    const b = typeSet(before);
    const a = typeSet(after);
    if (!b || !a) {
      if (b && !a) this.widened(dir, path, `type ${[...b].join('|')} no longer constrained`);
      else if (a && !b) this.narrowed(dir, path, `type now constrained to ${[...a].join('|')}`);
      return;
    }
    const lost = [...b].filter((t) => !admits(a, t));
    const gained = [...a].filter((t) => !admits(b, t));
    if (lost.length) this.narrowed(dir, path, `type ${lost.join('|')} no longer allowed (now ${[...a].join('|')})`);
    if (gained.length) this.widened(dir, path, `type ${gained.join('|')} now allowed (was ${[...b].join('|')})`);
  }

  private compareValues(before: Schema, after: Schema, path: string, dir: Direction): void {
    const b = enumValues(before);
    const a = enumValues(after);
    if (!b && !a) return;
    if (b && !a) {
      this.widened(dir, path, `no longer limited to ${show(b)}`);
      return;
    }
    if (a && !b) {
      this.narrowed(dir, path, `now limited to ${show(a)}`);
      return;
    }
    const lost = b!.filter((v) => !a!.some((w) => isDeepStrictEqual(v, w)));
    const gained = a!.filter((v) => !b!.some((w) => isDeepStrictEqual(v, w)));
    if (!lost.length && !gained.length) return;
    if ('const' in before && 'const' in after) {
      this.add('breaking', path, `const changed from ${show(before.const)} to ${show(after.const)}`);
      return;
    }
    if (lost.length) this.narrowed(dir, path, `value(s) ${lost.map(show).join(', ')} removed`);
    // A new enum value in output is normal evolution; clients must tolerate unknown values.
    if (gained.length) this.widened(dir, path, `value(s) ${gained.map(show).join(', ')} added`, false);
  }

  private compareBounds(before: Schema, after: Schema, path: string, dir: Direction): void {
    for (const key of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) {
      const b = before[key] as number | undefined;
      const a = after[key] as number | undefined;
      if (b === a) continue;
      const lower = (LOWER_BOUNDS as readonly string[]).includes(key);
      const tighter = a !== undefined && (b === undefined || (lower ? a > b : a < b));
      const message = `${key} ${b === undefined ? 'added' : a === undefined ? 'removed' : 'changed'} (${show(b ?? null)} → ${show(a ?? null)})`;
      // Looser bounds on output only matter to clients that validate strictly.
      if (tighter) this.narrowed(dir, path, message);
      else this.widened(dir, path, message, false);
    }
    for (const key of ['pattern', 'format'] as const) {
      if (before[key] === after[key]) continue;
      const message = `${key} changed (${show(before[key] ?? null)} → ${show(after[key] ?? null)})`;
      if (after[key] === undefined) this.widened(dir, path, message, false);
      else this.narrowed(dir, path, message);
    }
  }

  private compareObject(before: Schema, after: Schema, path: string, dir: Direction): void {
    const bProps = isSchema(before.properties) ? before.properties : undefined;
    const aProps = isSchema(after.properties) ? after.properties : undefined;
    if (!bProps && !aProps && !('additionalProperties' in before) && !('additionalProperties' in after)) return;
    const bReq = new Set(Array.isArray(before.required) ? (before.required as string[]) : []);
    const aReq = new Set(Array.isArray(after.required) ? (after.required as string[]) : []);
    const props = childPath(path, 'properties');
    for (const [name, schema] of Object.entries(bProps ?? {})) {
      const at = childPath(props, name);
      if (!aProps || !(name in aProps)) {
        this.add('breaking', at, dir === 'input' ? 'field removed (clients that send it are rejected)' : 'field removed');
        continue;
      }
      this.compare(schema, aProps[name], at, dir);
      if (!bReq.has(name) && aReq.has(name)) {
        this.narrowed(dir, at, 'field made required');
      } else if (bReq.has(name) && !aReq.has(name)) {
        this.add(dir === 'input' ? 'additive' : 'breaking', at, 'field made optional');
      }
    }
    for (const name of Object.keys(aProps ?? {})) {
      if (bProps && name in bProps) continue;
      const at = childPath(props, name);
      if (dir === 'input' && aReq.has(name)) this.add('breaking', at, 'required field added');
      else this.add('additive', at, aReq.has(name) ? 'field added' : 'optional field added');
    }
    const bAdd = before.additionalProperties;
    const aAdd = after.additionalProperties;
    if (isDeepStrictEqual(bAdd, aAdd)) return;
    const at = childPath(path, 'additionalProperties');
    if (isSchema(bAdd) && isSchema(aAdd)) this.compare(bAdd, aAdd, at, dir);
    else if (aAdd === false) this.narrowed(dir, at, 'unknown keys no longer allowed');
    else if (bAdd === false) this.widened(dir, at, 'unknown keys now allowed', false);
    else this.compare(bAdd ?? {}, aAdd ?? {}, at, dir);
  }
}

/** Convenience: all changes between two schemas at one location. */
export function diffSchemas(before: unknown, after: unknown, path: string, dir: Direction): SchemaChange[] {
  const diff = new SchemaDiff();
  diff.compare(before, after, path, dir);
  return diff.changes;
}
