import { z } from 'zod';
import { MemoryHealth } from './memory.js';

export const NodesHealth = z.object({
  connected: z.array(z.object({ nodeId: z.string(), displayName: z.string().optional(), platform: z.string().optional(), paired: z.boolean(), connectedAtMs: z.number().int().min(0) })),
  paired: z.number().int().min(0),
  pending: z.number().int().min(0),
});

export const Empty = z.strictObject({});

export const ChannelHealthSummary = z.looseObject({
  accountId: z.string(),
  configured: z.boolean().optional(),
  linked: z.boolean().optional(),
  authAgeMs: z.number().optional(),
  lastProbeAt: z.number().optional(),
});

const HealthRecentSession = z.object({ key: z.string(), updatedAt: z.number().nullable(), age: z.number().nullable() });
const HealthSessions = z.object({ path: z.string(), count: z.number().int().min(0), recent: z.array(HealthRecentSession) });

/** How busy the event loop was since the previous health snapshot (upstream's `eventLoop`). */
export const EventLoopHealth = z.object({
  degraded: z.boolean(),
  degradedSinceMs: z.number().int().min(0).nullable().optional(),
  reasons: z.array(z.enum(['event_loop_delay', 'event_loop_utilization', 'cpu'])),
  intervalMs: z.number().min(0),
  delayP99Ms: z.number().min(0),
  delayMaxMs: z.number().min(0),
  utilization: z.number().min(0),
  cpuCoreRatio: z.number().min(0),
});
export type EventLoopHealth = z.infer<typeof EventLoopHealth>;

export const HealthSummary = z.object({
  ok: z.boolean(),
  ts: z.number().int(),
  durationMs: z.number().min(0),
  channels: z.record(z.string(), ChannelHealthSummary),
  channelOrder: z.array(z.string()),
  channelLabels: z.record(z.string(), z.string()),
  heartbeatSeconds: z.number().min(0),
  defaultAgentId: z.string(),
  agents: z.array(
    z.object({
      agentId: z.string(),
      name: z.string().optional(),
      isDefault: z.boolean(),
      heartbeat: z.unknown(),
      /** The agent's own sessions, as upstream reports them (its index file, count and newest keys). */
      sessions: HealthSessions,
    }),
  ),
  sessions: z.object({
    path: z.string(),
    count: z.number().int().min(0),
    recent: z.array(HealthRecentSession),
  }),
  eventLoop: EventLoopHealth.optional(),
  /** Whether hand edits of the config file are applied while the gateway runs (`gateway.reload.mode`). */
  configReload: z.object({ hotReloadStatus: z.enum(['active', 'disabled']) }).optional(),
  /** The memory index of each agent whose index is open. */
  memory: MemoryHealth.optional(),
  /** Skills of the default agent: how many, and which are eligible. */
  skills: z.object({ total: z.number().int().min(0), eligible: z.array(z.string()) }).optional(),
  /** Nodes: connected now (with id, name and platform), paired, and waiting for approval. */
  nodes: NodesHealth.optional(),
  gateway: z
    .object({
      version: z.string(),
      uptimeMs: z.number().int().min(0),
      connections: z.number().int().min(0),
      rssBytes: z.number().int().min(0),
    })
    .optional(),
});
export type HealthSummary = z.infer<typeof HealthSummary>;

export const HealthParams = z.strictObject({ probe: z.boolean().optional() });

export const StatusSummary = z.object({
  runtimeVersion: z.string().optional(),
  heartbeat: z.object({ defaultAgentId: z.string(), agents: z.array(z.unknown()) }),
  channelSummary: z.array(z.string()),
  queuedSystemEvents: z.array(z.string()),
  tasks: z.unknown(),
  taskAudit: z.unknown(),
  sessions: z.object({
    paths: z.array(z.string()),
    count: z.number().int().min(0),
    defaults: z.object({ model: z.string().nullable(), contextTokens: z.number().nullable() }),
    recent: z.array(z.unknown()),
    byAgent: z.array(
      z.object({ agentId: z.string(), path: z.string(), count: z.number().int().min(0), recent: z.array(z.unknown()) }),
    ),
  }),
  agents: z.array(z.object({ id: z.string(), name: z.string().optional(), isDefault: z.boolean() })).optional(),
  channels: z
    .array(
      z.object({
        id: z.string(),
        configured: z.boolean(),
        linked: z.boolean(),
        /** Per-account state as channels.status reports it (running, connected, lastError, …). */
        accounts: z.array(z.looseObject({ accountId: z.string() })).optional(),
      }),
    )
    .optional(),
  nodes: NodesHealth.optional(),
});

export const LogsTailParams = z.strictObject({
  cursor: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(5000).optional(),
  maxBytes: z.number().int().min(1).max(1_000_000).optional(),
});

export const LogsTailResult = z.object({
  file: z.string(),
  cursor: z.number().int().min(0),
  size: z.number().int().min(0),
  lines: z.array(z.string()),
  truncated: z.boolean().optional(),
  reset: z.boolean().optional(),
});

export const TickEvent = z.object({ ts: z.number().int() });

export const ShutdownEvent = z.object({
  reason: z.string(),
  restartExpectedMs: z.number().int().min(0).nullable(),
});

/** Upstream `task` event: one background task record (its status values are an open set). */
export const TaskEvent = z.looseObject({
  taskId: z.string().optional(),
  status: z.string().optional(),
  runtime: z.string().optional(),
  sessionKey: z.string().optional(),
  ts: z.number().optional(),
});
