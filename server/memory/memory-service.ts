// The memory of every agent: one index per agent, opened on first use (search, status, a tool
// call), kept following its files and the config (a new embedding model re-embeds everything), and
// closed at shutdown. Handlers, tools, health and the prompt reach memory only through here.
import { join } from 'node:path';
import type { MemoryIndexStatus, MemorySearchResult } from '../../contract/schemas/memory.js';
import { expandPath, type AgentDirectory } from '../agents/agent-directory.js';
import { GatewayError } from '../core/gateway-error.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { memoryEmbedder } from './memory-embedder.js';
import { MemoryIndex } from './memory-index.js';
import { memorySettings, type MemorySettings } from './memory-settings.js';

export class MemoryService {
  private readonly indexes = new Map<string, MemoryIndex>();
  private closed = false;

  constructor(
    private readonly rt: GatewayRuntime,
    private readonly agents: AgentDirectory,
  ) {
    rt.config.onChange(() => this.configChanged());
    rt.onShutdown(() => this.close());
  }

  defaultAgentId(): string {
    return this.agents.defaultId();
  }

  settings(agentId: string): MemorySettings {
    return memorySettings(this.rt.config.config, agentId);
  }

  /** The agent's index, opened on first use. MEMORY_DISABLED / MEMORY_UNAVAILABLE when it cannot be. */
  index(agentId: string): MemoryIndex {
    const agent = this.agents.require(agentId);
    const open = this.indexes.get(agent.id);
    if (open) return open;
    if (!this.settings(agent.id).enabled) {
      throw new GatewayError('UNAVAILABLE', `memory search is off for agent "${agent.id}"; set agents.defaults.memorySearch.enabled (or the agent's own) to true`, {
        details: { code: 'MEMORY_DISABLED' },
      });
    }
    if (this.closed) throw new GatewayError('UNAVAILABLE', 'the gateway is stopping', { details: { code: 'MEMORY_UNAVAILABLE' } });
    let index: MemoryIndex;
    try {
      index = new MemoryIndex({
        agentId: agent.id,
        dbPath: this.dbPath(agent.id),
        workspace: () => this.agents.workspaceOf(agent.id),
        settings: () => this.settings(agent.id),
        embedder: () => memoryEmbedder(this.rt.config.config, this.rt.env, agent.id),
        logger: this.rt.logger,
      });
    } catch (error) {
      this.rt.logger.error('memory index unavailable', { agentId: agent.id, error: (error as Error).message });
      throw new GatewayError('UNAVAILABLE', `the memory index of "${agent.id}" cannot be opened: ${(error as Error).message}`, { details: { code: 'MEMORY_UNAVAILABLE' } });
    }
    this.indexes.set(agent.id, index);
    return index;
  }

  /** `memorySearch.store.path` (`{agentId}` is replaced), else `<stateDir>/memory/<agentId>.sqlite`. */
  private dbPath(agentId: string): string {
    const configured = this.settings(agentId).storePath;
    if (configured) return expandPath(configured.replaceAll('{agentId}', agentId), this.rt.paths.stateDir);
    return join(this.rt.paths.stateDir, 'memory', `${agentId}.sqlite`);
  }

  search(agentId: string, query: string, options: { limit?: number; minScore?: number }, signal: AbortSignal): Promise<MemorySearchResult> {
    return this.index(agentId).search(query, options, signal);
  }

  /** One agent's status, or every agent's (opening their indexes). */
  status(agentId?: string): MemoryIndexStatus[] {
    const ids = agentId ? [this.agents.require(agentId).id] : this.agents.list().map((a) => a.id).filter((id) => this.settings(id).enabled);
    return ids.map((id) => this.index(id).status());
  }

  /** The `health` section: the indexes already open (health never opens one). */
  health(): { agents: MemoryIndexStatus[] } {
    const agents: MemoryIndexStatus[] = [];
    for (const index of this.indexes.values()) {
      try {
        agents.push(index.status());
      } catch (error) {
        this.rt.logger.warn('memory status failed', { agentId: index.agentId, error: (error as Error).message });
      }
    }
    return { agents };
  }

  /** A config change may turn memory off, move a workspace or change the embedding model: resync what is open. */
  private configChanged(): void {
    for (const [agentId, index] of this.indexes) {
      if (!this.settings(agentId).enabled || !this.agents.get(agentId)) {
        this.indexes.delete(agentId);
        void index.close();
        continue;
      }
      index.sync('config').catch((error: unknown) => this.rt.logger.warn('memory sync after config change failed', { agentId, error: (error as Error).message }));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = [...this.indexes.values()];
    this.indexes.clear();
    await Promise.all(open.map((index) => index.close()));
  }
}
