// agents.list / create / update / delete, backed by the config file's `agents.list` (docs/methods.md).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AgentsHandlers } from '../../generated/server/handlers.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { errorsFor } from '../../generated/server/method-errors.js';
import { invalidParams } from '../core/gateway-error.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { normalizeAgentId } from '../sessions/session-key.js';
import { expandPath, type AgentInfo } from './agent-directory.js';
import { createAgentFilesHandlers } from './agent-files-handlers.js';

type RawAgent = Record<string, unknown> & { id: string };

const createErrors = errorsFor('agents.create');

/** Lower-case, `[a-z0-9_-]`, at most 64 characters, starting with a letter or digit. */
export function agentIdFromName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64);
}

function summary(agent: AgentInfo) {
  const entry = agent.entry;
  const model = typeof entry?.model === 'string' ? { primary: entry.model } : entry?.model ? { ...entry.model } : undefined;
  const identity = entry?.identity
    ? Object.fromEntries(Object.entries(entry.identity).filter(([k, v]) => ['name', 'theme', 'emoji', 'avatar'].includes(k) && typeof v === 'string'))
    : undefined;
  return {
    id: agent.id,
    ...(agent.name ? { name: agent.name } : {}),
    ...(identity && Object.keys(identity).length ? { identity } : {}),
    workspace: agent.workspace,
    ...(model && (model.primary || model.fallbacks) ? { model } : {}),
  };
}

export function createAgentsHandlers(rt: GatewayRuntime, agents: AgentRuntime): AgentsHandlers {
  const directory = agents.agents;
  /** The list as written in the file (env references intact), for merge patches. */
  const rawList = (): RawAgent[] => {
    const parsed = rt.config.loaded.parsed as { agents?: { list?: unknown } } | null;
    const list = parsed?.agents?.list;
    return Array.isArray(list) ? (list.filter((a) => a && typeof a === 'object' && typeof (a as RawAgent).id === 'string') as RawAgent[]) : [];
  };
  /** Rewrites the file with these top-level keys replaced (a merge patch cannot drop id-keyed entries). */
  const writeConfig = (replace: { agents: { list: RawAgent[] }; bindings?: unknown[] }): void => {
    const parsed = rt.config.loaded.parsed;
    const base = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    const agentsSection = base.agents && typeof base.agents === 'object' ? (base.agents as Record<string, unknown>) : {};
    const next: Record<string, unknown> = { ...base, agents: { ...agentsSection, list: replace.agents.list } };
    if (replace.bindings !== undefined) next.bindings = replace.bindings;
    rt.config.replace(`${JSON.stringify(next, null, 2)}\n`, rt.config.loaded.hash || undefined);
  };
  const ensureWorkspace = (workspace: string, identity: { name: string; emoji?: string; avatar?: string }): void => {
    mkdirSync(workspace, { recursive: true, mode: 0o700 });
    const identityFile = join(workspace, 'IDENTITY.md');
    if (!existsSync(identityFile)) {
      const lines = [`# Identity`, '', `- Name: ${identity.name}`, ...(identity.emoji ? [`- Emoji: ${identity.emoji}`] : []), ...(identity.avatar && identity.avatar.length < 1000 ? [`- Avatar: ${identity.avatar}`] : [])];
      writeFileSync(identityFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    }
  };

  return {
    'agents.list': () => {
      const defaults = agents.mainSession.defaults();
      return {
        defaultId: defaults.defaultAgentId,
        mainKey: defaults.mainKey,
        scope: defaults.scope,
        agents: directory.list().map(summary),
      };
    },

    'agents.create': (params) => {
      const agentId = agentIdFromName(params.name);
      if (!agentId || !/^[a-z0-9]/.test(agentId)) throw invalidParams('the agent name must contain letters or digits');
      if (agentId === 'main') {
        throw createErrors.AGENT_PROTECTED({ agentId }, '"main" is reserved for the built-in agent; choose another name');
      }
      if (directory.get(agentId)) {
        throw createErrors.AGENT_EXISTS({ agentId });
      }
      if (params.model) agents.models.resolve(params.model);
      const workspace = expandPath(params.workspace, rt.paths.stateDir);
      const list = rawList();
      const base: RawAgent[] = list.length === 0 ? [{ id: 'main', default: true }] : list;
      const identity = { name: params.name, ...(params.emoji ? { emoji: params.emoji } : {}), ...(params.avatar ? { avatar: params.avatar } : {}) };
      const entry: RawAgent = { id: agentId, name: params.name, workspace: params.workspace, ...(params.model ? { model: params.model } : {}), identity };
      writeConfig({ agents: { list: [...base, entry] } });
      ensureWorkspace(workspace, identity);
      return { ok: true as const, agentId, name: params.name, workspace, ...(params.model ? { model: params.model } : {}) };
    },

    'agents.update': (params) => {
      const agent = directory.require(params.agentId);
      if (params.model) agents.models.resolve(params.model, agent.id);
      const list = rawList();
      const index = list.findIndex((a) => normalizeAgentId(a.id) === agent.id);
      const current: RawAgent = index >= 0 ? { ...list[index]! } : { id: agent.id, ...(list.length === 0 ? { default: true } : {}) };
      if (params.name !== undefined) current.name = params.name;
      if (params.workspace !== undefined) current.workspace = params.workspace;
      if (params.model !== undefined) current.model = params.model;
      if (params.emoji !== undefined || params.avatar !== undefined || params.name !== undefined) {
        const identity = { ...((current.identity as Record<string, unknown> | undefined) ?? {}) };
        if (params.name !== undefined) identity.name = params.name;
        if (params.emoji !== undefined) identity.emoji = params.emoji;
        if (params.avatar !== undefined) identity.avatar = params.avatar;
        current.identity = identity;
      }
      const next = index >= 0 ? list.map((a, i) => (i === index ? current : a)) : [...list, current];
      writeConfig({ agents: { list: next } });
      if (params.workspace !== undefined) mkdirSync(expandPath(params.workspace, rt.paths.stateDir), { recursive: true, mode: 0o700 });
      return { ok: true as const, agentId: agent.id };
    },

    'agents.delete': (params) => {
      const agent = directory.require(params.agentId);
      if (agent.id === 'main') {
        throw errorsFor('agents.delete').AGENT_PROTECTED({ agentId: 'main' }, 'the main agent cannot be deleted');
      }
      const list = rawList().filter((a) => normalizeAgentId(a.id) !== agent.id);
      const parsed = rt.config.loaded.parsed as { bindings?: unknown } | null;
      const bindings = Array.isArray(parsed?.bindings) ? parsed.bindings : [];
      const keptBindings = bindings.filter((b) => !(b && typeof b === 'object' && typeof (b as { agentId?: unknown }).agentId === 'string' && normalizeAgentId((b as { agentId: string }).agentId) === agent.id));
      const removedBindings = bindings.length - keptBindings.length;
      for (const run of agents.activeRuns()) if (run.agentId === agent.id) run.abort('agent deleted');
      writeConfig({ agents: { list }, ...(removedBindings > 0 ? { bindings: keptBindings } : {}) });
      if (params.deleteFiles) {
        // Only folders the gateway owns are removed; a workspace elsewhere is the user's.
        const rel = relative(rt.paths.stateDir, agent.workspace);
        if (rel && !rel.startsWith('..') && !rel.startsWith('/')) rmSync(agent.workspace, { recursive: true, force: true });
        else rt.logger.warn('agent workspace outside the state dir was kept', { agentId: agent.id, workspace: agent.workspace });
      }
      return { ok: true as const, agentId: agent.id, removedBindings };
    },

    ...createAgentFilesHandlers(agents),
  };
}
