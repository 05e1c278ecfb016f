// The skills of every agent: discovery (workspace > managed > bundled > extra dirs), eligibility,
// installs, config updates, the prompt list and `skills.changed` when an agent's set changes (files
// seen by a watcher, a config change, an install, or simply noticed on the next look).
import { join } from 'node:path';
import type { z } from 'zod';
import type { SkillsInstallParams, SkillsInstallResult, SkillsStatusResult, SkillStatus } from '../../contract/schemas/skills.js';
import type { AgentDirectory } from '../agents/agent-directory.js';
import { expandPath } from '../agents/agent-directory.js';
import { GatewayError, notFound } from '../core/gateway-error.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { installWithCommand } from './command-installers.js';
import { installDownload } from './download-installer.js';
import { bundledSkillsDir, discoverSkills, type SkillEntry, type SkillRoot } from './skill-discovery.js';
import { describeFinding, scanSkill } from './skill-safety-scan.js';
import { buildSkillStatus, installId } from './skill-status.js';
import { SkillsWatcher } from './skills-watcher.js';

type InstallParams = z.infer<typeof SkillsInstallParams>;
type ChangeReason = 'files' | 'config' | 'install';

/** How long a computed skill list is reused when no watcher says it changed. */
const SNAPSHOT_TTL_MS = 1000;
const DEFAULT_INSTALL_TIMEOUT_MS = 300_000;
const MAX_INSTALL_TIMEOUT_MS = 900_000;

interface Snapshot {
  readonly at: number;
  readonly entries: SkillEntry[];
  readonly statuses: SkillStatus[];
}

export class SkillsService {
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly fingerprints = new Map<string, string>();
  private watcher: SkillsWatcher | undefined;

  constructor(
    private readonly rt: GatewayRuntime,
    private readonly agents: AgentDirectory,
  ) {
    rt.config.onChange(() => this.changed('config'));
    rt.onShutdown(() => this.watcher?.stop());
  }

  get managedDir(): string {
    return join(this.rt.paths.stateDir, 'skills');
  }

  roots(agentId: string): SkillRoot[] {
    const roots: SkillRoot[] = [
      { dir: join(this.agents.workspaceOf(agentId), 'skills'), source: 'openclaw-workspace' },
      { dir: this.managedDir, source: 'openclaw-managed' },
      { dir: bundledSkillsDir(this.rt.env), source: 'openclaw-bundled' },
    ];
    for (const dir of this.rt.config.config.skills?.load?.extraDirs ?? []) roots.push({ dir: expandPath(dir, this.rt.paths.stateDir), source: 'openclaw-extra' });
    return roots;
  }

  /** Where installers put a skill's programs: `<stateDir>/tools/<skillKey>`. */
  toolsDir(skillKey: string): string {
    const safe = skillKey.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
    return join(this.rt.paths.stateDir, 'tools', safe);
  }

  /** The agent's skills; a cached list (prompt, health) is at most a second old unless `fresh`. */
  private snapshot(agentId: string, reason: ChangeReason = 'files', fresh = false): Snapshot {
    const id = this.agents.require(agentId).id;
    const cached = this.snapshots.get(id);
    const now = performance.now();
    if (cached && !fresh && now - cached.at < SNAPSHOT_TTL_MS) return cached;
    const config = this.rt.config.config;
    const roots = this.roots(id);
    const { skills, problems } = discoverSkills(roots);
    for (const p of problems) this.rt.logger.debug('skill skipped', { file: p.filePath, error: p.error });
    const statuses = skills.map((entry) =>
      buildSkillStatus(entry, config.skills, {
        env: this.rt.env,
        config,
        entryConfig: config.skills?.entries?.[entry.skillKey],
        toolsDir: this.toolsDir(entry.skillKey),
        platform: process.platform,
      }),
    );
    const snapshot = { at: now, entries: skills, statuses };
    this.snapshots.set(id, snapshot);
    this.watch(roots);
    this.notice(id, statuses, reason);
    return snapshot;
  }

  /** Starts (or re-aims) the watcher at the skill folders that exist. */
  private watch(roots: readonly SkillRoot[]): void {
    const settings = this.rt.config.config.skills?.load;
    if (settings?.watch === false) {
      void this.watcher?.stop();
      this.watcher = undefined;
      return;
    }
    this.watcher ??= new SkillsWatcher(settings?.watchDebounceMs ?? 250, () => this.changed('files'), (message) => this.rt.logger.warn(message));
    this.watcher.add(roots.map((r) => r.dir));
  }

  /** Emits skills.changed when the agent's list (names, sources, eligibility) differs from the last one seen. */
  private notice(agentId: string, statuses: readonly SkillStatus[], reason: ChangeReason): void {
    const skills = statuses.map((s) => ({ name: s.name, skillKey: s.skillKey, source: s.source, eligible: s.eligible }));
    const fingerprint = JSON.stringify(skills);
    const previous = this.fingerprints.get(agentId);
    this.fingerprints.set(agentId, fingerprint);
    if (previous !== undefined && previous !== fingerprint) this.rt.hub.publish('skills.changed', { ts: Date.now(), reason, agentId, skills });
  }

  /** Something changed: drop the cached lists and re-check every agent already looked at. */
  private changed(reason: ChangeReason): void {
    this.snapshots.clear();
    for (const agentId of [...this.fingerprints.keys()]) {
      if (!this.agents.get(agentId)) {
        this.fingerprints.delete(agentId);
        continue;
      }
      try {
        this.snapshot(agentId, reason);
      } catch (error) {
        this.rt.logger.warn('skills re-check failed', { agentId, error: (error as Error).message });
      }
    }
  }

  status(agentId?: string): z.infer<typeof SkillsStatusResult> {
    const id = agentId ? this.agents.require(agentId).id : this.agents.defaultId();
    return { workspaceDir: this.agents.workspaceOf(id), managedSkillsDir: this.managedDir, skills: this.snapshot(id, 'files', true).statuses };
  }

  eligible(agentId: string): SkillStatus[] {
    return this.snapshot(agentId).statuses.filter((s) => s.eligible);
  }

  /** Every binary any agent's skills require (or offer as alternatives), for node hosts. */
  bins(): string[] {
    const bins = new Set<string>();
    for (const agent of this.agents.list()) {
      for (const s of this.snapshot(agent.id).statuses) for (const bin of [...s.requirements.bins, ...s.requirements.anyBins]) bins.add(bin);
    }
    return [...bins].sort();
  }

  health(): { total: number; eligible: string[] } {
    const statuses = this.snapshot(this.agents.defaultId()).statuses;
    return { total: statuses.length, eligible: statuses.filter((s) => s.eligible).map((s) => s.name) };
  }

  /** A skill of this agent by name or skillKey. */
  entry(agentId: string, name: string, fresh = false): SkillEntry | undefined {
    const entries = this.snapshot(agentId, 'files', fresh).entries;
    return entries.find((e) => e.name === name) ?? entries.find((e) => e.skillKey === name);
  }

  async install(params: InstallParams, signal: AbortSignal): Promise<SkillsInstallResult> {
    if ('source' in params) {
      return { ok: false, message: 'ClawHub installs are not available in this gateway; put the skill folder in <stateDir>/skills or the workspace skills/ folder.', stdout: '', stderr: '', code: null, reason: 'UNSUPPORTED' };
    }
    const agentId = this.agents.defaultId();
    const entry = this.entry(agentId, params.name, true);
    if (!entry) throw notFound(`no skill named "${params.name}"; skills.status lists them`, 'SKILL_NOT_FOUND');
    const specs = entry.metadata.install ?? [];
    const index = specs.findIndex((spec, i) => installId(spec, i) === params.installId);
    if (index < 0) {
      const ids = specs.map((spec, i) => installId(spec, i));
      throw notFound(`skill "${entry.name}" has no installer "${params.installId}"${ids.length ? `; it has ${ids.join(', ')}` : '; it declares none'}`, 'SKILL_INSTALLER_NOT_FOUND');
    }
    const spec = specs[index]!;
    const findings = scanSkill(entry.baseDir).map(describeFinding);
    if (findings.length > 0 && !params.dangerouslyForceUnsafeInstall) {
      return {
        ok: false,
        message: `refused: the skill "${entry.name}" contains ${findings.length} dangerous pattern(s) (${findings[0]}); review it, then pass dangerouslyForceUnsafeInstall to install anyway`,
        stdout: '',
        stderr: '',
        code: null,
        reason: 'UNSAFE_SKILL',
        warnings: findings,
      };
    }
    const timeoutMs = Math.min(Math.max(params.timeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS, 1000), MAX_INSTALL_TIMEOUT_MS);
    const toolsDir = this.toolsDir(entry.skillKey);
    let result: SkillsInstallResult;
    try {
      result = spec.kind === 'download' ? await installDownload(spec, toolsDir, timeoutMs, signal) : await installWithCommand(spec, toolsDir, this.rt.env, timeoutMs, signal);
    } catch (error) {
      this.rt.logger.error('skill install failed', { skill: entry.name, installId: params.installId, error: (error as Error).message });
      throw new GatewayError('UNAVAILABLE', `installing "${entry.name}" failed: ${(error as Error).message}`, { details: { code: 'INSTALL_FAILED' } });
    }
    this.rt.logger.info('skill installer ran', { skill: entry.name, installId: params.installId, ok: result.ok, reason: result.reason });
    if (findings.length > 0) result = Object.assign({}, result, { warnings: findings });
    if (result.ok) this.changed('install');
    return result;
  }
}
