// Messaging channels (docs/methods.md).
import { z } from 'zod';
import { EpochMs, Ident, TimeoutMs } from './common.js';

export const ChannelsStatusParams = z.strictObject({
  /** Actively probe each account instead of reporting the cached state. */
  probe: z.boolean().optional(),
  timeoutMs: TimeoutMs.optional(),
});

/** Open, as upstream's: each channel adds its own fields. */
export const ChannelAccountSnapshot = z.looseObject({
  accountId: z.string(),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  configured: z.boolean().optional(),
  linked: z.boolean().optional(),
  running: z.boolean().optional(),
  connected: z.boolean().optional(),
  reconnectAttempts: z.number().int().min(0).optional(),
  lastConnectedAt: EpochMs.nullable().optional(),
  lastError: z.string().nullable().optional(),
  healthState: z.string().optional(),
  lastStartAt: EpochMs.nullable().optional(),
  lastStopAt: EpochMs.nullable().optional(),
  lastInboundAt: EpochMs.nullable().optional(),
  lastOutboundAt: EpochMs.nullable().optional(),
  lastProbeAt: EpochMs.nullable().optional(),
  mode: z.string().optional(),
  dmPolicy: z.string().optional(),
  allowFrom: z.array(z.string()).optional(),
});
export type ChannelAccountSnapshot = z.infer<typeof ChannelAccountSnapshot>;

export const ChannelMeta = z.object({
  id: z.string(),
  label: z.string(),
  detailLabel: z.string(),
  systemImage: z.string().optional(),
});

export const ChannelsStatusResult = z.object({
  ts: EpochMs,
  channelOrder: z.array(z.string()),
  channelLabels: z.record(z.string(), z.string()),
  channelDetailLabels: z.record(z.string(), z.string()).optional(),
  channelSystemImages: z.record(z.string(), z.string()).optional(),
  channelMeta: z.array(ChannelMeta).optional(),
  channels: z.record(z.string(), z.looseObject({ configured: z.boolean().optional() })),
  channelAccounts: z.record(z.string(), z.array(ChannelAccountSnapshot)),
  channelDefaultAccountId: z.record(z.string(), z.string()),
});

export const ChannelsLogoutParams = z.strictObject({
  channel: Ident.min(1),
  accountId: Ident.min(1).optional(),
});

/** Upstream's result is channel-specific; these fields are the common part. */
export const ChannelsLogoutResult = z.looseObject({
  channel: z.string(),
  accountId: z.string(),
  /** Stored credentials were removed. */
  cleared: z.boolean(),
});

/** `send` (docs/methods.md): an outbound message through a channel account, for operators and for
 * other subsystems (cron announce delivery, the agent `message` tool). */
export const SendParams = z.strictObject({
  /** The peer or group on the channel (an IRC nick or `#channel`, …). */
  to: Ident.min(1),
  message: z.string().max(100_000).optional(),
  mediaUrl: z.string().max(4096).optional(),
  mediaUrls: z.array(z.string().max(4096)).max(16).optional(),
  gifPlayback: z.boolean().optional(),
  /** Channel id (`irc`, …); default: the only configured channel. */
  channel: Ident.min(1).optional(),
  accountId: Ident.min(1).optional(),
  agentId: Ident.min(1).optional(),
  threadId: Ident.min(1).optional(),
  sessionKey: z.string().min(1).max(512).optional(),
  idempotencyKey: z.string().min(1).max(256),
});

/** Upstream adds channel-specific ids (chatId, channelId, toJid…). */
export const SendResult = z.looseObject({
  runId: z.string(),
  messageId: z.string(),
  channel: z.string(),
});
