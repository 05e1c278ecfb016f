// Fuzz frames and bodies built from the contract's generated JSON Schema: for each method (and
// connect, and each HTTP body) a valid-ish base value, and every position in it, so a hostile
// value can go into each string, number, array and object position in turn.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import type { FuzzInput, Json } from './frame-arbitraries.js';
import { HOSTILE_VALUES, type HostileValue } from './hostile-values.js';
import { positionsOf, setAtPath, validishArb, type JsonSchema, type Path } from './json-schema-walk.js';

const ROOT = resolve(import.meta.dirname, '../..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

interface ProtocolSchema {
  $defs: Record<string, JsonSchema>;
  methods: Record<string, { params: JsonSchema; aliases: string[] }>;
}

const protocol = readJson('generated/schema/protocol.schema.json') as unknown as ProtocolSchema;
const openapi = readJson('generated/schema/openapi.json') as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };

export interface SchemaTarget {
  /** Method name, or the HTTP path. */
  readonly name: string;
  readonly schema: JsonSchema;
  readonly positions: readonly Path[];
  /** A valid-ish value (fixed seed), the base every mutation starts from. */
  readonly base: Json;
}

/** Where fuzzed methods may create folders: path-like keys in a base value point here, never into the repository. */
export const FUZZ_SCRATCH = join(tmpdir(), `openclaw-fuzz-${process.pid}`);
const PATH_KEYS = new Set(['workspace', 'agentDir', 'path', 'cwd', 'dir', 'file', 'root', 'spawnedWorkspaceDir']);

function scrubPaths(value: Json): Json {
  if (Array.isArray(value)) return value.map(scrubPaths);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value)) out[key] = PATH_KEYS.has(key) && typeof child === 'string' ? join(FUZZ_SCRATCH, 'w') : scrubPaths(child);
    return out;
  }
  return value;
}

function target(name: string, schema: JsonSchema, seed: number): SchemaTarget {
  const [base] = fc.sample(validishArb(schema, protocol.$defs), { seed, numRuns: 1 });
  return { name, schema, positions: positionsOf(schema, protocol.$defs), base: scrubPaths(base ?? {}) };
}

/** Every method of the contract but connect (that one has CONNECT_TARGET). */
export const METHOD_TARGETS: readonly SchemaTarget[] = Object.entries(protocol.methods)
  .filter(([name]) => name !== 'connect')
  .map(([name, entry], i) => target(name, entry.params, 1000 + i));

export const CONNECT_SCHEMA: JsonSchema = protocol.$defs.ConnectParams!;

/** Every HTTP endpoint that takes a JSON body. */
export const HTTP_TARGETS: readonly SchemaTarget[] = Object.entries(openapi.paths).flatMap(([path, ops], i) =>
  Object.values(ops).flatMap((op) => {
    const schema = op.requestBody?.content['application/json']?.schema;
    return schema ? [target(path, schema, 2000 + i)] : [];
  }),
);

let ids = 0;
export const frameOf = (method: string, params: Json): FuzzInput => ({ kind: 'text', text: JSON.stringify({ type: 'req', id: `s${++ids}`, method, params }) });

/** One mutation: `value` at `path` of the target's base. */
export function mutate(t: SchemaTarget, path: Path, value: Json): Json {
  return setAtPath(t.base, path, value);
}

/** The whole sweep of one target: each position × each hostile value. */
export function* sweep(t: SchemaTarget, values: readonly HostileValue[] = HOSTILE_VALUES): Generator<{ path: Path; value: HostileValue; doc: Json }> {
  for (const path of t.positions) for (const value of values) yield { path, value, doc: mutate(t, path, value.value) };
}

/** Random schema-driven mutations: any target, any of its positions, a hostile or random value. */
export function schemaMutationArb(targets: readonly SchemaTarget[], valueArb: fc.Arbitrary<Json>): fc.Arbitrary<{ target: SchemaTarget; doc: Json }> {
  return fc
    .tuple(fc.nat({ max: targets.length - 1 }), fc.nat(), fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...HOSTILE_VALUES.map((h) => h.value)) }, { weight: 1, arbitrary: valueArb }))
    .map(([ti, pi, value]) => {
      const t = targets[ti]!;
      return { target: t, doc: mutate(t, t.positions[pi % t.positions.length]!, value) };
    });
}
