// The config file as the running gateway sees it: loaded once, rewritten atomically with optimistic
// concurrency (baseHash), and announced to subscribers so subsystems hot-apply changes.
import JSON5 from 'json5';
import { existsSync, readFileSync } from 'node:fs';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { gatewayErrors } from '../core/error-constructors.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import type { IssueSummary } from '../core/zod-issues.js';
import { hashText, loadConfigFile, parseConfigText, type LoadedConfigFile } from './config-file.js';
import { isDeepStrictEqual } from 'node:util';
import { applyMergePatch } from './merge-patch.js';
import { REDACTED, redactRaw, redactValue, restoreRedacted } from './redact.js';

export type ConfigListener = (next: OpenClawConfig, previous: OpenClawConfig) => void;

export interface ConfigWriteOutcome {
  readonly config: OpenClawConfig;
  readonly hash: string;
  readonly noop: boolean;
  readonly restartRequired: string[];
}

/** Changes to these keys only take effect after a restart. */
const RESTART_PATHS: readonly (readonly string[])[] = [
  ['gateway', 'port'],
  ['gateway', 'bind'],
  ['gateway', 'customBindHost'],
  ['gateway', 'tls'],
  ['gateway', 'limits'],
  ['discovery'],
  ['plugins'],
];

const at = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);

export class ConfigStore {
  private file: LoadedConfigFile;
  private readonly listeners = new Set<ConfigListener>();

  constructor(
    readonly path: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.file = loadConfigFile(path, env);
  }

  get config(): OpenClawConfig {
    return this.file.config;
  }

  get loaded(): LoadedConfigFile {
    return this.file;
  }

  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * What `config.get` shows: the file as it is on disk now (so its hash is the baseHash a write
   * needs, even right after a hand edit), secrets replaced by the sentinel in raw, parsed and config.
   */
  redactedSnapshot() {
    const file = loadConfigFile(this.path, this.env);
    const secrets = new Set<string>();
    const parsed = redactValue(file.parsed, secrets);
    const config = redactValue(file.config, secrets) as Record<string, unknown>;
    return {
      path: file.path,
      exists: file.exists,
      raw: file.raw === null || !file.valid ? null : redactRaw(file.raw, secrets),
      parsed: file.valid ? parsed : null,
      config: file.valid ? config : {},
      valid: file.valid,
      hash: file.hash,
      issues: [...file.issues],
      warnings: [],
    };
  }

  /**
   * Re-reads the file after an outside edit: a valid new version is applied (listeners run), an
   * invalid one is reported and the running config kept. Returns what happened.
   */
  reloadFromDisk(): { readonly outcome: 'unchanged' | 'applied' | 'invalid'; readonly issues: readonly IssueSummary[] } {
    const file = loadConfigFile(this.path, this.env);
    if (file.hash === this.file.hash && file.exists === this.file.exists) return { outcome: 'unchanged', issues: [] };
    if (!file.valid) return { outcome: 'invalid', issues: file.issues };
    const previous = this.file.config;
    this.file = file;
    for (const listener of this.listeners) listener(this.file.config, previous);
    return { outcome: 'applied', issues: [] };
  }

  private checkBaseHash(baseHash: string | undefined): void {
    if (!existsSync(this.path)) return;
    const current = hashText(readFileSync(this.path, 'utf8'));
    if (baseHash === undefined) {
      throw gatewayErrors.BASE_HASH_REQUIRED();
    }
    if (baseHash !== current) {
      throw gatewayErrors.BASE_HASH_MISMATCH({ currentHash: current });
    }
  }

  private commit(raw: string): ConfigWriteOutcome {
    const { config, issues } = parseConfigText(raw, this.env);
    if (!config) {
      throw gatewayErrors.CONFIG_INVALID({ issues }, `invalid config: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    }
    const previous = this.file.config;
    writeFileAtomic(this.path, raw, 0o600);
    this.file = loadConfigFile(this.path, this.env);
    const restartRequired = RESTART_PATHS.filter((p) => !isDeepStrictEqual(at(previous, p), at(this.file.config, p))).map((p) => p.join('.'));
    for (const listener of this.listeners) listener(this.file.config, previous);
    return { config: this.file.config, hash: this.file.hash, noop: false, restartRequired };
  }

  private restore(raw: string): string {
    if (!raw.includes(REDACTED)) return raw;
    let parsed: unknown;
    try {
      parsed = JSON5.parse(raw);
    } catch {
      return raw; // commit() reports the parse error
    }
    return `${JSON.stringify(restoreRedacted(parsed, this.file.parsed), null, 2)}\n`;
  }

  /** `config.set` / `config.apply`: replace the whole file. */
  replace(raw: string, baseHash: string | undefined): ConfigWriteOutcome {
    this.checkBaseHash(baseHash);
    return this.commit(this.restore(raw));
  }

  /** `config.patch`: JSON merge patch onto the file as written (env references stay references). */
  patch(rawPatch: string, baseHash: string | undefined): ConfigWriteOutcome {
    this.checkBaseHash(baseHash);
    let patch: unknown;
    try {
      patch = JSON5.parse(rawPatch);
    } catch (error) {
      throw gatewayErrors.CONFIG_INVALID({}, `invalid config patch: not valid JSON5: ${(error as Error).message}`);
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw gatewayErrors.CONFIG_INVALID({}, 'invalid config patch: it must be a JSON object');
    }
    const base = this.file.exists && this.file.valid ? this.file.parsed : this.file.exists ? null : {};
    if (base === null) throw gatewayErrors.CONFIG_INVALID({}, 'the config file is invalid; fix it with config.set first');
    const merged = applyMergePatch(base, restoreRedacted(patch, base));
    if (isDeepStrictEqual(merged, base) && this.file.exists) {
      return { config: this.file.config, hash: this.file.hash, noop: true, restartRequired: [] };
    }
    return this.commit(`${JSON.stringify(merged, null, 2)}\n`);
  }

  /** Sets one key programmatically (first-start token), keeping everything else as parsed. */
  setPath(path: readonly string[], value: unknown): void {
    const base = this.file.exists && this.file.valid ? (this.file.parsed as Record<string, unknown>) : {};
    const patch: Record<string, unknown> = {};
    let cursor = patch;
    path.forEach((key, i) => {
      if (i === path.length - 1) cursor[key] = value;
      else cursor = (cursor[key] = {}) as Record<string, unknown>;
    });
    this.commit(`${JSON.stringify(applyMergePatch(base, patch), null, 2)}\n`);
  }
}
