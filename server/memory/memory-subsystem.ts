// Wires memory into one gateway: the service, the agent tools, a prompt section telling the model
// to search memory before answering about the past, and the memory part of `health`.
import type { AgentRuntime } from '../chat/agent-runtime.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { MemoryService } from './memory-service.js';
import { registerMemoryTools } from './memory-tools.js';

const MEMORY_PROMPT = [
  '# Memory',
  'Your memory is MEMORY.md and memory/*.md in your workspace. Before answering anything about prior work, decisions, dates, people, preferences or todos, search it with memory_search and read the lines you need with memory_get.',
  'To remember something (a decision, a preference, a fact worth keeping), write it with memory_write: durable facts to MEMORY.md, day notes to memory/YYYY-MM-DD.md.',
].join('\n');

export function createMemoryService(rt: GatewayRuntime, runtime: AgentRuntime): MemoryService {
  const memory = new MemoryService(rt, runtime.agents);
  registerMemoryTools(runtime.tools, memory, runtime.agents);
  runtime.promptSections.register('memory', ({ agentId }) => (memory.settings(agentId).enabled ? MEMORY_PROMPT : undefined));
  rt.health.extend({ memory: () => memory.health() });
  return memory;
}
