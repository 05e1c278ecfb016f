// The memory settings of one agent: its own `memorySearch` keys over `agents.defaults.memorySearch`
// (nested objects merged key by key), with upstream's defaults filled in.
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { configuredAgent } from '../agents/agent-directory.js';
import type { MemorySearch } from '../providers/embedding-target.js';

export interface MemorySettings {
  readonly enabled: boolean;
  readonly storePath: string | undefined;
  readonly vectorEnabled: boolean;
  readonly extensionPath: string | undefined;
  readonly chunkTokens: number;
  readonly chunkOverlap: number;
  readonly syncOnSearch: boolean;
  readonly watch: boolean;
  readonly watchDebounceMs: number;
  readonly maxResults: number;
  readonly minScore: number;
  readonly hybridEnabled: boolean;
  readonly vectorWeight: number;
  readonly textWeight: number;
  readonly candidateMultiplier: number;
  readonly decayHalfLifeDays: number | undefined;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = Object.assign({}, base);
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlain(current) && isPlain(value) ? deepMerge(current, value) : value;
  }
  return out;
}

export function memorySettings(cfg: OpenClawConfig, agentId: string): MemorySettings {
  const defaults = (cfg.agents?.defaults?.memorySearch ?? {}) as Plain;
  const own = configuredAgent(cfg, agentId)?.memorySearch as Plain | undefined;
  const s = (own ? deepMerge(defaults, own) : defaults) as MemorySearch;
  const hybrid = s.query?.hybrid;
  const vectorWeight = hybrid?.vectorWeight ?? 0.7;
  const textWeight = hybrid?.textWeight ?? 0.3;
  const total = vectorWeight + textWeight > 0 ? vectorWeight + textWeight : 1;
  return {
    enabled: s.enabled !== false,
    storePath: s.store?.path,
    vectorEnabled: s.store?.vector?.enabled !== false,
    extensionPath: s.store?.vector?.extensionPath,
    chunkTokens: s.chunking?.tokens ?? 400,
    chunkOverlap: s.chunking?.overlap ?? 80,
    syncOnSearch: s.sync?.onSearch !== false,
    watch: s.sync?.watch !== false,
    watchDebounceMs: s.sync?.watchDebounceMs ?? 1500,
    maxResults: s.query?.maxResults ?? 6,
    minScore: s.query?.minScore ?? 0,
    hybridEnabled: hybrid?.enabled !== false,
    vectorWeight: vectorWeight / total,
    textWeight: textWeight / total,
    candidateMultiplier: hybrid?.candidateMultiplier ?? 4,
    decayHalfLifeDays: hybrid?.temporalDecay?.enabled ? (hybrid.temporalDecay.halfLifeDays ?? 30) : undefined,
  };
}
