// Messaging channels (docs/methods.md), the `send` method and DM pairing of channel senders.
import { z } from 'zod';
import { EpochMs, Ident, TimeoutMs } from './common.js';

const NullableMs = EpochMs.nullable().optional();

export const ChannelsStatusParams = z.strictObject({
  /** Actively probe each account instead of reporting the cached state. */
  probe: z.boolean().optional(),
  timeoutMs: TimeoutMs.optional(),
  /** Only this channel (upstream v4). */
  channel: Ident.min(1).optional(),
});

/** Open, as upstream's: each channel adds its own fields. */
export const ChannelAccountSnapshot = z.looseObject({
  accountId: z.string().min(1),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  configured: z.boolean().optional(),
  linked: z.boolean().optional(),
  running: z.boolean().optional(),
  connected: z.boolean().optional(),
  reconnectAttempts: z.number().int().min(0).optional(),
  lastConnectedAt: NullableMs,
  lastError: z.string().nullable().optional(),
  healthState: z.string().optional(),
  lastStartAt: NullableMs,
  lastStopAt: NullableMs,
  lastInboundAt: NullableMs,
  lastOutboundAt: NullableMs,
  lastTransportActivityAt: NullableMs,
  busy: z.boolean().optional(),
  activeRuns: z.number().int().min(0).optional(),
  lastRunActivityAt: NullableMs,
  activeRunStartedAt: NullableMs,
  lastProbeAt: NullableMs,
  mode: z.string().optional(),
  dmPolicy: z.string().optional(),
  allowFrom: z.array(z.string()).optional(),
  tokenSource: z.string().optional(),
  botTokenSource: z.string().optional(),
  appTokenSource: z.string().optional(),
  credentialSource: z.string().nullable().optional(),
  baseUrl: z.string().optional(),
  allowUnmentionedGroups: z.boolean().optional(),
  cliPath: z.string().nullable().optional(),
  dbPath: z.string().nullable().optional(),
  port: z.number().int().min(0).nullable().optional(),
  probe: z.unknown().optional(),
  audit: z.unknown().optional(),
  application: z.unknown().optional(),
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
  partial: z.boolean().optional(),
  warnings: z.array(z.string()).optional(),
});

/** One account of a channel (its default account when `accountId` is absent). */
export const ChannelsAccountParams = z.strictObject({
  channel: Ident.min(1),
  accountId: Ident.min(1).optional(),
});

export const ChannelsLogoutParams = ChannelsAccountParams;

/** Upstream's result is channel-specific; these fields are the common part. */
export const ChannelsLogoutResult = z.looseObject({
  channel: z.string(),
  accountId: z.string(),
  /** Stored credentials were removed. */
  cleared: z.boolean(),
  loggedOut: z.boolean().optional(),
});

/** `channels.start` / `channels.stop` (upstream v4): one account's runtime. */
export const ChannelsAccountResult = z.object({
  channel: z.string(),
  accountId: z.string(),
  account: ChannelAccountSnapshot,
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

// ── DM pairing: an unknown sender gets a code; an operator approves it ───────────────────────

export const ChannelPairingRequest = z.object({
  /** The sender as the channel identifies it (IRC: `nick!user@host`). */
  id: z.string(),
  code: z.string(),
  /** ISO timestamps, as upstream's pairing store keeps them. */
  createdAt: z.string(),
  lastSeenAt: z.string(),
  meta: z.record(z.string(), z.string()).optional(),
});
export type ChannelPairingRequest = z.infer<typeof ChannelPairingRequest>;

export const ChannelPairingListParams = z.strictObject({
  /** One channel; every channel with pending requests when absent. */
  channel: Ident.min(1).optional(),
  accountId: Ident.min(1).optional(),
});

export const ChannelPairingListResult = z.object({
  channels: z.array(z.object({ channel: z.string(), requests: z.array(ChannelPairingRequest) })),
});

export const ChannelPairingApproveParams = z.strictObject({
  channel: Ident.min(1),
  code: z.string().min(1).max(64),
  accountId: Ident.min(1).optional(),
  /** Tell the sender on the channel that they were approved (default true). */
  notify: z.boolean().optional(),
});

export const ChannelPairingApproveResult = z.object({
  ok: z.literal(true),
  channel: z.string(),
  accountId: z.string(),
  /** The approved sender, now in the account's allowFrom store. */
  id: z.string(),
  notified: z.boolean(),
});

// ── events ───────────────────────────────────────────────────────────────────────────────

export const ChannelStatusEvent = z.object({
  channel: z.string(),
  accountId: z.string(),
  account: ChannelAccountSnapshot,
  ts: EpochMs,
});

export const ChannelPairingRequestedEvent = z.object({
  channel: z.string(),
  accountId: z.string(),
  request: ChannelPairingRequest,
  ts: EpochMs,
});

export const ChannelPairingResolvedEvent = z.object({
  channel: z.string(),
  accountId: z.string(),
  id: z.string(),
  decision: z.literal('approved'),
  ts: EpochMs,
});
