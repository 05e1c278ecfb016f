// exec-approvals.json (upstream's policy file, in the state dir): defaults, per-agent policy and
// allowlists, agent `*` for rules shared by all agents. Read through a stat check so each exec
// call sees edits at once without re-parsing an unchanged file; written atomically (0600) with
// the base-hash rule of config writes. An unreadable file is reported and treated as "deny all".
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ExecApprovalsFile } from '../../contract/schemas/exec-approvals.js';
import { validateUntrusted } from '../core/untrusted-input.js';
import { describeIssues } from '../core/zod-issues.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import type { CommandRule } from './allowlist-match.js';

export interface PolicyFileState {
  readonly exists: boolean;
  /** SHA-256 of the file's bytes; '' when it does not exist. */
  readonly hash: string;
  /** The parsed file (`{version: 1}` when missing or invalid). */
  readonly file: ExecApprovalsFile;
  /** The file as JSON, unknown fields included (kept on rewrite). */
  readonly raw: Record<string, unknown>;
  readonly invalid?: string;
}

/** The store seam for the standing rules; the default is the upstream file in the state dir. */
export interface ExecPolicyStore {
  readonly location: string;
  read(): PolicyFileState;
  /** Replaces the document (unknown fields of `raw` kept); returns the new state. */
  write(raw: Record<string, unknown>): PolicyFileState;
}

const EMPTY: ExecApprovalsFile = { version: 1 };

export function fileExecPolicyStore(path: string): ExecPolicyStore {
  let cached: { key: string; state: PolicyFileState } | undefined;
  const load = (): PolicyFileState => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, hash: '', file: EMPTY, raw: { version: 1 } };
      return { exists: true, hash: '', file: EMPTY, raw: { version: 1 }, invalid: `cannot read ${path}: ${(error as Error).message}` };
    }
    const hash = createHash('sha256').update(text, 'utf8').digest('hex');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { exists: true, hash, file: EMPTY, raw: { version: 1 }, invalid: `${path} is not valid JSON: ${(error as Error).message}` };
    }
    const parsed = validateUntrusted(ExecApprovalsFile, json);
    if (!parsed.success) return { exists: true, hash, file: EMPTY, raw: { version: 1 }, invalid: `${path} does not match the expected shape: ${describeIssues(parsed.error)}` };
    return { exists: true, hash, file: parsed.data, raw: json as Record<string, unknown> };
  };
  return {
    location: path,
    read() {
      let key = 'missing';
      try {
        const st = statSync(path);
        key = `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        // missing: keyed as such
      }
      if (cached?.key !== key) cached = { key, state: load() };
      return cached.state;
    },
    write(raw) {
      writeFileAtomic(path, `${JSON.stringify(raw, null, 2)}\n`);
      cached = undefined;
      return this.read();
    },
  };
}

/** "Allow always": adds the rules to the agent's allowlist (the gateway's exec tool and node hosts). Throws when the file cannot be written. */
export function addAllowlistRules(store: ExecPolicyStore, agentId: string, rules: readonly CommandRule[], command: string): void {
  const state = store.read();
  if (state.invalid) throw new Error(state.invalid);
  const raw = structuredClone(state.raw) as { version?: number; agents?: Record<string, { allowlist?: Record<string, unknown>[] }> };
  raw.version = 1;
  const agents = (raw.agents ??= {});
  const entry = (agents[agentId] ??= {});
  const list = (entry.allowlist ??= []);
  for (const rule of rules) {
    if (list.some((e) => e.pattern === rule.pattern && e.argPattern === rule.argPattern)) continue;
    list.push({ id: randomUUID(), ...rule, lastUsedAt: Date.now(), lastUsedCommand: command.slice(0, 8_192), lastResolvedPath: rule.pattern });
  }
  store.write(raw);
}
