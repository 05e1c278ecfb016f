// Validation of values that came from outside (frames, HTTP bodies, tool arguments, config text).
// It can never throw: zod 4 runs length checks on any object with a `length` key and comparing
// `{"length":{"toString":1}}` throws a TypeError, and deep nesting overflows the stack in zod or
// JSON.stringify. Every outside value goes through here before anything else touches it.
import { z } from 'zod';

/** Nesting depth of objects and arrays that any input may have (JSON Schema documents fit well inside). */
export const MAX_INPUT_DEPTH = 64;

/** True when `value` nests objects/arrays deeper than `maxDepth` (iterative: deep input cannot overflow it). */
export function exceedsDepth(value: unknown, maxDepth: number = MAX_INPUT_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const current = stack.pop() as object;
    const depth = depths.pop()!;
    if (depth > maxDepth) return true;
    if (Array.isArray(current)) {
      for (const item of current) {
        if (typeof item === 'object' && item !== null) {
          stack.push(item);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in current) {
        const item = (current as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) {
          stack.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

function failure<T>(message: string): z.ZodSafeParseError<T> {
  return { success: false, error: new z.ZodError([{ code: 'custom', message, path: [], input: undefined }]) as z.ZodError<T> };
}

/**
 * `schema.safeParse(value)` that cannot throw: too deep → a failure naming the limit; a schema
 * that throws on a hostile value (see above) → a failure saying the value has the wrong type.
 */
export function validateUntrusted<S extends z.ZodType>(schema: S, value: unknown, maxDepth: number = MAX_INPUT_DEPTH): z.ZodSafeParseResult<z.output<S>> {
  if (exceedsDepth(value, maxDepth)) return failure(`nested deeper than ${maxDepth} levels`);
  try {
    return schema.safeParse(value) as z.ZodSafeParseResult<z.output<S>>;
  } catch {
    return failure('a value has the wrong type (an object where text, a number or a list was expected)');
  }
}
