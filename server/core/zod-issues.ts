import type { z } from 'zod';
import { objectKeysAt, suggestKey } from './schema-keys.js';

/** `a.b[2].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export interface IssueSummary {
  readonly path: string;
  readonly message: string;
}

/** `expected string or object, received number` when every branch of a union failed on the type itself. */
function unionTypeMismatch(issue: z.core.$ZodIssueInvalidUnion): string | undefined {
  const expected: string[] = [];
  let received: string | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first || first.code !== 'invalid_type' || first.path.length > 0) return undefined;
    if (!expected.includes(first.expected)) expected.push(first.expected);
    received ??= /received (\w+)/.exec(first.message)?.[1];
  }
  return expected.length ? `expected ${expected.join(' or ')}${received ? `, received ${received}` : ''}` : undefined;
}

/**
 * Flattens zod issues to `{path, message}`, naming unknown keys by their full path. Given the
 * schema, an unknown key that looks like a typo of an allowed one says "did you mean …".
 */
export function summarizeIssues(error: z.ZodError, limit = 10, schema?: z.ZodType): IssueSummary[] {
  const out: IssueSummary[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = schema ? objectKeysAt(schema, issue.path) : undefined;
      for (const key of issue.keys) {
        const suggestion = allowed ? suggestKey(key, allowed) : undefined;
        out.push({ path: formatPath([...issue.path, key]), message: suggestion ? `unknown key (did you mean "${suggestion}"?)` : 'unknown key' });
      }
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0 && unionTypeMismatch(issue)) {
      out.push({ path: formatPath(issue.path), message: unionTypeMismatch(issue)! });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest rather than "invalid input".
      const deepest = issue.errors.reduce((best, branch) => (branch.length && branch[0]!.path.length >= (best[0]?.path.length ?? -1) ? branch : best), issue.errors[0]!);
      const first = deepest[0];
      out.push({
        path: formatPath([...issue.path, ...(first?.path ?? [])]),
        message: first?.message ?? issue.message,
      });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

/** `path: problem; path2: problem2` — what an INVALID_REQUEST message shows. */
export function describeIssues(error: z.ZodError, limit = 3, schema?: z.ZodType): string {
  return summarizeIssues(error, limit, schema)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
}
