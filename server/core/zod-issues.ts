import type { z } from 'zod';

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

/** Flattens zod issues to `{path, message}`, naming unknown keys by their full path. */
export function summarizeIssues(error: z.ZodError, limit = 10): IssueSummary[] {
  const out: IssueSummary[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: 'unknown key' });
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
export function describeIssues(error: z.ZodError, limit = 3): string {
  return summarizeIssues(error, limit)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
}
