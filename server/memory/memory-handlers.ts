// memory.status and memory.search over WS, for operators: the same index and ranking as the tools.
import type { GatewayHandlers } from '../../generated/server/handlers.js';
import type { MemoryService } from './memory-service.js';

export function createMemoryHandlers(memory: MemoryService): Pick<GatewayHandlers, 'memory.status' | 'memory.search'> {
  return {
    'memory.status': (params) => ({ agents: memory.status(params.agentId) }),
    'memory.search': (params, ctx) => {
      const options: { limit?: number; minScore?: number } = {};
      if (params.limit !== undefined) options.limit = params.limit;
      if (params.minScore !== undefined) options.minScore = params.minScore;
      return memory.search(params.agentId ?? memory.defaultAgentId(), params.query, options, ctx.signal);
    },
  };
}
