// Reads and validates openclaw.json (JSON5, `${ENV}` substitution) against the contract's schema.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { OpenClawConfig } from '../../contract/schemas/config.js';
import { validateUntrusted } from '../core/untrusted-input.js';
import { summarizeIssues, type IssueSummary } from '../core/zod-issues.js';
import { substituteEnv } from './env-substitution.js';

export { substituteEnv } from './env-substitution.js';

export interface LoadedConfigFile {
  readonly path: string;
  readonly exists: boolean;
  readonly raw: string | null;
  /** Hex SHA-256 of the raw text; '' when the file does not exist. */
  readonly hash: string;
  readonly parsed: unknown;
  /** The validated config; `{}` when invalid. */
  readonly config: OpenClawConfig;
  readonly valid: boolean;
  readonly issues: readonly IssueSummary[];
  /** The file exists but could not be read (a directory, no permission). */
  readonly unreadable?: boolean;
}

export const hashText = (raw: string): string => createHash('sha256').update(raw, 'utf8').digest('hex');

export function parseConfigText(raw: string, env: NodeJS.ProcessEnv): { parsed: unknown; config: OpenClawConfig | null; issues: IssueSummary[] } {
  let parsed: unknown;
  try {
    parsed = JSON5.parse(raw);
  } catch (error) {
    return { parsed: null, config: null, issues: [{ path: '', message: `not valid JSON5: ${(error as Error).message}` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { parsed, config: null, issues: [{ path: '', message: 'the config must be a JSON object' }] };
  }
  const missing: string[] = [];
  const substituted = substituteEnv(parsed, env, missing);
  if (missing.length) return { parsed, config: null, issues: missing.map((m) => ({ path: m.split(':')[0]!, message: m })) };
  const result = validateUntrusted(OpenClawConfig, substituted);
  if (!result.success) return { parsed, config: null, issues: summarizeIssues(result.error, 20, OpenClawConfig) };
  return { parsed, config: result.data, issues: [] };
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv): LoadedConfigFile {
  if (!existsSync(path)) {
    return { path, exists: false, raw: null, hash: '', parsed: {}, config: {}, valid: true, issues: [] };
  }
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    return { path, exists: true, raw: null, hash: '', parsed: null, config: {}, valid: false, issues: [{ path: '', message: `cannot read the config file: ${why}` }], unreadable: true };
  }
  const { parsed, config, issues } = parseConfigText(raw, env);
  return { path, exists: true, raw, hash: hashText(raw), parsed, config: config ?? {}, valid: config !== null, issues };
}

/** What the operator reads when the config cannot be used: the problems, then what to do about them. */
export function formatConfigIssues(path: string, issues: readonly IssueSummary[], unreadable = false): string {
  const keyed = issues.some((i) => i.path !== '');
  const next = unreadable
    ? `Make ${path} a readable JSON5 file (or point OPENCLAW_CONFIG_PATH elsewhere) and start the gateway again.`
    : keyed
      ? 'Fix or remove these keys and start the gateway again.'
      : 'Fix the file and start the gateway again.';
  return [`${unreadable ? 'unreadable' : 'invalid'} config file ${path}:`, ...issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`), next].join('\n');
}
