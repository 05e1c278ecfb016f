// The contract's JSON Schema (generated/schema/*.json) as a fuzz map: a valid-ish value for any
// schema, and every position in it where a string, number, array or object goes, optional ones
// included, so a fuzzer can put a hostile value into each of them in turn.
import fc from 'fast-check';
import type { Json } from './frame-arbitraries.js';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: Json[];
  const?: Json;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: Json;
  $ref?: string;
  [key: string]: unknown;
};

export type Path = readonly (string | number)[];

const MAX_DEPTH = 8;

function resolve(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  if (schema.$ref?.startsWith('#/$defs/')) return defs[schema.$ref.slice('#/$defs/'.length)] ?? {};
  return schema;
}

const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

/**
 * Every path inside a value of `schema` that holds (or may hold) a value: each property, optional
 * or not, the first item of each array, one extra key where additional properties are allowed, and
 * the positions of every union branch. The root itself is path [].
 */
export function positionsOf(schema: JsonSchema, defs: Record<string, JsonSchema> = {}): Path[] {
  const seen = new Set<string>();
  const out: Path[] = [];
  const walk = (raw: JsonSchema, path: Path, depth: number): void => {
    const s = resolve(raw, defs);
    const id = JSON.stringify(path);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(path);
    }
    if (depth >= MAX_DEPTH) return;
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(branch, path, depth + 1);
    for (const [key, child] of Object.entries(s.properties ?? {})) walk(child, [...path, key], depth + 1);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, [...path, 'fuzzKey'], depth + 1);
    if (s.items) walk(s.items, [...path, 0], depth + 1);
  };
  walk(schema, [], 0);
  return out;
}

/** fast-check builds no lookarounds: generate from the pattern without them, the caller filters by the whole one. */
function matchingArb(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return fc.stringMatching(new RegExp(pattern.replace(/\(\?<?[=!][^)]*\)/g, '')));
  }
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 24, Math.max(min, 24));
  if (s.pattern) {
    const full = new RegExp(s.pattern);
    const fits = (v: string): boolean => v.length >= min && v.length <= (s.maxLength ?? Number.POSITIVE_INFINITY) && full.test(v);
    return matchingArb(s.pattern).filter(fits);
  }
  return fc.string({ minLength: min, maxLength: max });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum === undefined ? -1000 : s.exclusiveMinimum + 1);
  const max = s.maximum ?? (s.exclusiveMaximum === undefined ? Math.max(min, 0) + 1000 : s.exclusiveMaximum - 1);
  const lo = Math.max(min, -1e6);
  const hi = Math.max(lo, Math.min(max, lo + 1e6));
  return integer ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

/** A value that mostly satisfies `schema`: right types, in range, required keys and some optional ones. */
export function validishArb(schema: JsonSchema, defs: Record<string, JsonSchema> = {}, depth = 0): fc.Arbitrary<Json> {
  const s = resolve(schema, defs);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  if (branches.length) return fc.oneof(...branches.map((b) => validishArb(b, defs, depth + 1)));
  if (s.allOf?.length) return validishArb(s.allOf[0]!, defs, depth + 1);
  const types = typesOf(s);
  if (depth > MAX_DEPTH) return fc.constant(null);
  const pick = types[0];
  switch (pick) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = s.items ? validishArb(s.items, defs, depth + 1) : fc.constant<Json>('x');
      return fc.array(item, { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, Math.max(s.minItems ?? 0, 3)) });
    }
    case 'object':
    case undefined: {
      if (!s.properties && pick === undefined) return fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>;
      const required = new Set(s.required ?? []);
      const model: Record<string, fc.Arbitrary<Json>> = {};
      for (const [key, child] of Object.entries(s.properties ?? {})) model[key] = validishArb(child, defs, depth + 1);
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.constant(null);
  }
}

/** `root` with `value` at `path`, creating the objects and arrays on the way. */
export function setAtPath(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const array = Array.isArray(root) ? [...root] : [];
    array[head] = setAtPath(array[head] ?? null, rest, value);
    return array;
  }
  const object: Record<string, Json> = root && typeof root === 'object' && !Array.isArray(root) ? { ...root } : {};
  // defineProperty: a key named __proto__ must become an own key, not the prototype.
  Object.defineProperty(object, head!, { value: setAtPath(object[head!] ?? null, rest, value), enumerable: true, writable: true, configurable: true });
  return object;
}
