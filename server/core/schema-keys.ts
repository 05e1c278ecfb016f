// The keys a zod object schema allows at a path, for "did you mean" hints on unknown keys. Walks
// zod 4's schema definitions through wrappers (optional, default, nullable…), arrays, records,
// unions and lazies; undefined where the path leads to no object schema.
import type { z } from 'zod';
import { closest, distance } from 'fastest-levenshtein';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 32) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? unwrap(def.innerType, depth + 1) : [];
    case 'pipe':
      return def.in ? unwrap(def.in, depth + 1) : [];
    case 'lazy':
      return def.getter ? unwrap(def.getter(), depth + 1) : [];
    case 'union':
      return (def.options ?? []).flatMap((o) => unwrap(o, depth + 1));
    default:
      return [schema];
  }
}

export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.ZodType[] = unwrap(schema);
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const candidate of current) {
      const def = defOf(candidate);
      if (def.type === 'object' && typeof segment === 'string' && def.shape?.[segment]) next.push(...unwrap(def.shape[segment]));
      else if (def.type === 'array' && typeof segment === 'number' && def.element) next.push(...unwrap(def.element));
      else if (def.type === 'record' && def.valueType) next.push(...unwrap(def.valueType));
    }
    if (next.length === 0) return undefined;
    current = next;
  }
  const keys = current.flatMap((c) => (defOf(c).type === 'object' ? Object.keys(defOf(c).shape ?? {}) : []));
  return keys.length ? [...new Set(keys)] : undefined;
}

/**
 * The allowed key closest to `key` when it is a plausible typo: two edits (a swapped pair of letters
 * is two), or a third of the letters for long keys; one edit for keys of three letters or fewer.
 */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const best = closest(key, [...allowed]);
  const longest = Math.max(key.length, best.length);
  const limit = longest <= 3 ? 1 : Math.max(2, Math.floor(longest / 3));
  return distance(key.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}
