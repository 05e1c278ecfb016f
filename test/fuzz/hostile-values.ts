// Values that break code which trusts its input: objects that throw when turned into strings or
// numbers (`{"length":{"toString":1}}` once crashed the process through zod's length checks),
// prototype keys, deep nesting, huge strings and arrays, lone surrogates and extreme numbers.
import type { Json } from './frame-arbitraries.js';

const parsed = (text: string): Json => JSON.parse(text) as Json;

function nested(levels: number, kind: 'array' | 'object'): Json {
  let value: Json = kind === 'array' ? [] : { leaf: 1 };
  for (let i = 0; i < levels; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export interface HostileValue {
  readonly name: string;
  readonly value: Json;
}

/** The ones the schema sweep puts into every position of every method and HTTP body. */
export const HOSTILE_VALUES: readonly HostileValue[] = [
  { name: '{"length":{"toString":1}}', value: { length: { toString: 1 } } },
  { name: '{"toString":1}', value: { toString: 1 } },
  { name: '{"valueOf":1,"toString":1}', value: { valueOf: 1, toString: 1 } },
  { name: '{"length":1e9}', value: { length: 1e9 } },
  { name: '{"toJSON":1,"then":1}', value: { toJSON: 1, then: 1 } },
  // An own "__proto__" key: only JSON.parse makes one (a literal would set the prototype).
  { name: '{"__proto__":{"polluted":1}}', value: parsed('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') },
  { name: '[{"toString":1}]', value: [{ toString: 1 }] },
  { name: 'nested 80 arrays', value: nested(80, 'array') },
  { name: 'nested 80 objects', value: nested(80, 'object') },
  { name: 'lone surrogates', value: '\ud800x\udfff' },
  { name: 'NUL and bidi', value: '\u0000\u202e\ufeff' },
  { name: '1e308', value: 1e308 },
  { name: '-1e308', value: -1e308 },
  { name: '2^53+1', value: 2 ** 53 + 1 },
  { name: '5e-324', value: 5e-324 },
  { name: '"1e309"', value: '1e309' },
  { name: 'null', value: null },
  { name: '""', value: '' },
];

/** Big ones, sent less often (they cost the transport more than the validator). */
export const HUGE_VALUES: readonly HostileValue[] = [
  { name: '200 KB string', value: 'x'.repeat(200_000) },
  { name: '100,000-element array', value: new Array<Json>(100_000).fill(0) },
  { name: 'object with 20,000 keys', value: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])) },
];
