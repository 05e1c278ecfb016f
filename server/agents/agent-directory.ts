// The agents the config defines (`agents.list`), with `main` always present, the default agent
// (first `default:true`, else the first entry) and each agent's workspace folder.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { gatewayErrors } from '../core/error-constructors.js';
import { normalizeAgentId } from '../sessions/session-key.js';

type AgentEntry = NonNullable<NonNullable<OpenClawConfig['agents']>['list']>[number];

export interface AgentInfo {
  readonly id: string;
  readonly name: string | undefined;
  readonly isDefault: boolean;
  readonly workspace: string;
  /** Index in `agents.list`, or -1 for the implicit `main`. */
  readonly configIndex: number;
  readonly entry: AgentEntry | undefined;
}

/** Index of the agent in `agents.list` (ids compared as normalised agent ids), or -1. */
export function agentConfigIndex(cfg: OpenClawConfig, agentId: string): number {
  const wanted = normalizeAgentId(agentId);
  return (cfg.agents?.list ?? []).findIndex((a) => normalizeAgentId(a.id) === wanted);
}

/** The agent's `agents.list` entry, if it has one. */
export function configuredAgent(cfg: OpenClawConfig, agentId: string): AgentEntry | undefined {
  const index = agentConfigIndex(cfg, agentId);
  return index >= 0 ? cfg.agents!.list![index] : undefined;
}

export class AgentDirectory {
  /** The list derived from one config object; a reload brings a new object and a fresh list. */
  private cached: { config: OpenClawConfig; list: readonly AgentInfo[] } | undefined;

  constructor(
    private readonly config: () => OpenClawConfig,
    private readonly stateDir: string,
  ) {}

  list(): AgentInfo[] {
    return [...this.view()];
  }

  private build(cfg: OpenClawConfig): AgentInfo[] {
    const list = cfg.agents?.list ?? [];
    const defaultEntry = list.find((a) => a.default) ?? list[0];
    const defaultId = defaultEntry ? normalizeAgentId(defaultEntry.id) : 'main';
    const out: AgentInfo[] = list.map((entry, configIndex) => {
      const id = normalizeAgentId(entry.id);
      return { id, name: entry.name ?? entry.identity?.name, isDefault: id === defaultId, workspace: this.workspaceFor(id, entry, id === defaultId), configIndex, entry };
    });
    if (!out.some((a) => a.id === 'main')) {
      out.push({ id: 'main', name: undefined, isDefault: defaultId === 'main', workspace: this.workspaceFor('main', undefined, defaultId === 'main'), configIndex: -1, entry: undefined });
    }
    return out;
  }

  defaultId(): string {
    return this.view().find((a) => a.isDefault)?.id ?? 'main';
  }

  get(id: string): AgentInfo | undefined {
    const wanted = normalizeAgentId(id);
    return this.view().find((a) => a.id === wanted);
  }

  /** The cached list itself, for lookups that do not hand it out. */
  private view(): readonly AgentInfo[] {
    const cfg = this.config();
    if (this.cached?.config !== cfg) this.cached = { config: cfg, list: this.build(cfg) };
    return this.cached.list;
  }

  /** The agent, or AGENT_NOT_FOUND naming the known ones. */
  require(id: string): AgentInfo {
    const agent = this.get(id);
    if (agent) return agent;
    throw gatewayErrors.AGENT_NOT_FOUND(
      { agentId: id },
      `unknown agent "${id}"; known agents: ${this.list().map((a) => a.id).join(', ')} (agents.list shows them, agents.create adds one)`,
    );
  }

  workspaceOf(id: string): string {
    const agent = this.get(id);
    return agent ? agent.workspace : this.workspaceFor(normalizeAgentId(id), undefined, false);
  }

  /** `workspace` from the entry; else `<stateDir>/workspace` for the default agent, `<stateDir>/workspace-<id>` for others. */
  private workspaceFor(id: string, entry: AgentEntry | undefined, isDefault: boolean): string {
    const configured = entry?.workspace ?? (isDefault ? this.config().agents?.defaults?.workspace : undefined);
    if (configured) return expandPath(configured, this.stateDir);
    return join(this.stateDir, isDefault ? 'workspace' : `workspace-${id}`);
  }
}

/** `~/x` → home, relative → under the state dir. */
export function expandPath(path: string, stateDir: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(stateDir, path);
}
