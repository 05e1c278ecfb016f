// The store seam for a subsystem's state that is one document (cron/jobs.json, exec-approvals.json,
// channel state): read whole, replaced whole. The default keeps it as a JSON file in the state dir
// (atomic replace, mode 0600); a shared store (PostgreSQL, planned) implements the same interface.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { z } from 'zod';
import { validateUntrusted } from '../core/untrusted-input.js';
import { describeIssues } from '../core/zod-issues.js';
import { writeFileAtomic } from './atomic-file.js';

export type DocumentLoad<T> =
  | { readonly state: 'missing' }
  | { readonly state: 'ok'; readonly value: T }
  /** Unreadable or not matching the schema; `movedTo` is where the bad copy was kept, if it was moved. */
  | { readonly state: 'invalid'; readonly reason: string; readonly movedTo?: string };

export interface DocumentStore<T> {
  /** Where it lives, for status output (a file path, or a store URL). */
  readonly location: string;
  load(): DocumentLoad<T>;
  /** Replaces the document; when it returns, the new value survives a crash. */
  save(value: T): void;
}

export interface FileDocumentOptions {
  /** Move an unreadable file aside (`<name>.invalid-<ts>`) instead of leaving it for the next load. */
  readonly quarantineInvalid?: boolean;
  /** Pretty-print (hand-editable files such as exec-approvals.json). */
  readonly indent?: number;
}

export function fileDocumentStore<S extends z.ZodType>(path: string, schema: S, options: FileDocumentOptions = {}): DocumentStore<z.output<S>> {
  return {
    location: path,
    load() {
      if (!existsSync(path)) return { state: 'missing' };
      let parsed: unknown;
      let reason: string | undefined;
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        reason = `not valid JSON: ${(error as Error).message}`;
      }
      if (reason === undefined) {
        const checked = validateUntrusted(schema, parsed);
        if (checked.success) return { state: 'ok', value: checked.data };
        reason = describeIssues(checked.error);
      }
      if (!options.quarantineInvalid) return { state: 'invalid', reason };
      const movedTo = `${path}.invalid-${Date.now()}`;
      try {
        renameSync(path, movedTo);
        return { state: 'invalid', reason, movedTo };
      } catch {
        return { state: 'invalid', reason };
      }
    },
    save(value) {
      writeFileAtomic(path, `${JSON.stringify(value, null, options.indent)}\n`);
    },
  };
}
