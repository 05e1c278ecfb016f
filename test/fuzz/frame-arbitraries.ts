// fast-check generators of inbound frames: random bytes and text, and mutations of valid req,
// cancel and connect frames (wrong types, extra keys, huge ids, deep nesting, unicode, numbers as
// strings, truncation).
import fc from 'fast-check';
import { connectParams } from '../helpers/raw-socket.js';
import { positionsOf } from './json-schema-walk.js';
import { CONNECT_SCHEMA, METHOD_TARGETS, schemaMutationArb, type SchemaTarget } from './schema-frames.js';

export type FuzzInput = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'binary'; readonly bytes: Uint8Array };

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const METHODS = ['health', 'logs.tail', 'config.get', 'config.schema', 'config.patch', 'config.set', 'chat.send', 'sessions.create', 'exec.approval.list', 'cron.list', 'skills.bins', 'connect', 'no.such.method', 'HEALTH', '', ' health'];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: loneSurrogate, minLength: 1, maxLength: 4 }),
  fc.constantFrom('\u0000', '\u202e', '\ufeff', 'null', '__proto__', 'constructor', '💥'.repeat(10), '0', '-1', '1e309'),
);

export const idArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 1, arbitrary: fc.integer({ min: 400, max: 5000 }).map((n) => 'i'.repeat(n)) },
);

/** Mostly valid connect params, so mutations land near the interesting boundaries. */
function connectParamsArb(right: string): fc.Arbitrary<Record<string, Json>> {
  const usually = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad });
  return fc.record(
    {
      minProtocol: usually(fc.constantFrom(3, 4), fc.oneof(fc.constantFrom(5, 6), fc.integer({ min: -2, max: 9 }))),
      maxProtocol: usually(fc.constantFrom(4, 5), fc.oneof(fc.constantFrom(1, 2), fc.integer({ min: -2, max: 9 }))),
      client: fc.record({
        id: usually(fc.constantFrom('test', 'cli', 'webchat-ui'), fc.constant('nope')),
        version: usually(fc.constant('1.0.0'), fc.constant('')),
        platform: fc.constantFrom('linux', 'darwin'),
        mode: usually(fc.constantFrom('test', 'ui', 'cli'), fc.constant('operator')),
      }),
      role: usually(fc.constantFrom('operator', 'node'), fc.constant('agent')),
      scopes: fc.array(fc.constantFrom('operator.admin', 'operator.read', 'x'), { maxLength: 3 }),
      caps: fc.constant([]),
      auth: fc.record({ token: fc.oneof({ weight: 3, arbitrary: fc.constant(right) }, fc.constantFrom(`${right}x`, 'wrong'), fc.constant('')) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['minProtocol', 'maxProtocol', 'client', 'auth'] },
  ) as fc.Arbitrary<Record<string, Json>>;
}

function baseFrame(right: string): fc.Arbitrary<Record<string, Json>> {
  const params: fc.Arbitrary<Json> = fc.oneof(
    fc.constant({}),
    fc.record({ limit: fc.integer({ min: -1, max: 6000 }), cursor: fc.integer({ min: -1, max: 1e7 }) }, { requiredKeys: [] }),
    fc.record({ raw: fc.string({ maxLength: 30 }), baseHash: fc.string({ maxLength: 64 }) }, { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  );
  const req = fc.record(
    { type: fc.constant('req'), id: idArb, method: fc.constantFrom(...METHODS), params, traceparent: fc.string({ maxLength: 140 }) },
    { requiredKeys: ['type', 'id', 'method'] },
  );
  const connect = fc.record({ type: fc.constant('req'), id: idArb, method: fc.constant('connect'), params: connectParamsArb(right) });
  const cancel = fc.record({ type: fc.constant('cancel'), id: idArb });
  return fc.oneof({ weight: 4, arbitrary: req }, { weight: 3, arbitrary: connect }, { weight: 1, arbitrary: cancel }) as fc.Arbitrary<Record<string, Json>>;
}

/** Every path to a value inside a JSON tree. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(root: Json, path: (string | number)[], update: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return update(root) ?? null;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, Json>) }) as Record<string | number, Json>;
  const [head, ...rest] = path;
  const next = rest.length === 0 ? update(copy[head!]!) : setAt(copy[head!]!, rest, update);
  if (next === undefined) delete copy[head!];
  else copy[head!] = next;
  return copy as Json;
}

function deep(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

type Mutation = (frame: Json, pick: number, extra: Json) => Json | string;

const MUTATIONS: Mutation[] = [
  // replace a value with something of another type
  (f, pick, extra) => setAt(f, paths(f)[pick % paths(f).length]!, () => extra),
  // delete a key
  (f, pick) => setAt(f, paths(f).slice(1)[pick % Math.max(1, paths(f).length - 1)] ?? [], () => undefined),
  // add an unknown key somewhere
  (f, pick, extra) => {
    const objects = paths(f).filter((p) => {
      const v = p.reduce<Json>((acc, k) => (acc as Record<string | number, Json>)[k]!, f);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
    return setAt(f, objects[pick % objects.length] ?? [], (o) => ({ ...(o as Record<string, Json>), [`x${pick % 7}`]: extra }));
  },
  // numbers as strings
  (f) => JSON.parse(JSON.stringify(f, (_k, v: unknown) => (typeof v === 'number' ? String(v) : v))) as Json,
  // deep nesting in params (as text: JSON.stringify would need a deep object)
  (f, pick) => JSON.stringify(f).replace(/}$/, `,"params":${deep(50 + (pick % 3000), pick % 2 ? 'array' : 'object')}}`),
  // truncation
  (f, pick) => {
    const text = JSON.stringify(f);
    return text.slice(0, pick % Math.max(1, text.length));
  },
  // the whole frame as a JSON string, or inside an array
  (f, pick) => (pick % 2 ? JSON.stringify(JSON.stringify(f)) : `[${JSON.stringify(f)}]`),
];

/** JSON objects that throw when code turns them into strings (`${value}`, String(value)). */
const hostileObjects: fc.Arbitrary<Json> = fc.constantFrom<Json>({ toString: 1 }, { valueOf: {}, toString: [] }, { toJSON: 'x', length: -1 }, { constructor: null, then: 1 });

/** A JSON document as text, mutated (or, half the time, as it is): the mutations above, also for HTTP bodies. */
export function mutatedJsonArb(base: fc.Arbitrary<Json>): fc.Arbitrary<string> {
  const extra = fc.oneof({ weight: 9, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }, { weight: 1, arbitrary: hostileObjects });
  return fc
    .tuple(base, fc.nat({ max: MUTATIONS.length - 1 }), fc.nat(), extra, fc.boolean())
    .map(([doc, which, pick, extra, mutate]) => {
      const out = mutate ? MUTATIONS[which]!(doc, pick, extra) : doc;
      return typeof out === 'string' ? out : JSON.stringify(out);
    });
}

export function mutatedFrameArb(rightToken: string): fc.Arbitrary<FuzzInput> {
  return mutatedJsonArb(baseFrame(rightToken)).map((text) => ({ kind: 'text', text }) as const);
}

export const randomInputArb: fc.Arbitrary<FuzzInput> = fc.oneof(
  fc.string({ maxLength: 200 }).map((text) => ({ kind: 'text', text }) as const),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ kind: 'text', text }) as const),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'text', text: JSON.stringify(v) ?? 'null' }) as const),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'binary', bytes }) as const),
  fc.constantFrom(70 * 1024, 100 * 1024).map((n) => ({ kind: 'text', text: JSON.stringify({ type: 'req', id: 'big', method: 'health', params: { pad: 'p'.repeat(n) } }) }) as const),
);

const requestText = (id: string, method: string, params: Json): FuzzInput => ({ kind: 'text', text: JSON.stringify({ type: 'req', id, method, params }) });

/** Any method of the contract, its params valid-ish but for one position (hostile or random). */
export const schemaFrameArb: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.string({ minLength: 1, maxLength: 16 }), schemaMutationArb(METHOD_TARGETS, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>))
  .map(([id, { target, doc }]) => requestText(id, target.name, doc));

/** connect with the right token, but one position of its params hostile or random. */
export function schemaConnectArb(rightToken: string): fc.Arbitrary<FuzzInput> {
  const target: SchemaTarget = { name: 'connect', schema: CONNECT_SCHEMA, positions: positionsOf(CONNECT_SCHEMA), base: connectParams({ auth: { token: rightToken } }) as Json };
  return fc.tuple(fc.string({ minLength: 1, maxLength: 16 }), schemaMutationArb([target], fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>)).map(([id, { doc }]) => requestText(id, 'connect', doc));
}

/** Random and mutated inputs: mutations of valid frames, and schema-driven mutations of every method and of connect. */
export function fuzzInputArb(rightToken: string): fc.Arbitrary<FuzzInput> {
  return fc.oneof(
    { weight: 3, arbitrary: mutatedFrameArb(rightToken) },
    { weight: 1, arbitrary: randomInputArb },
    { weight: 3, arbitrary: schemaFrameArb },
    { weight: 2, arbitrary: schemaConnectArb(rightToken) },
  );
}
