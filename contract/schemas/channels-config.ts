// `channels.*` and `bindings` in openclaw.json, with upstream's key names. `channels.irc` is itself
// the default account; `channels.irc.accounts.<id>` adds more (each inherits the top-level keys).
// Other channels' sections are carried through open, for upstream compatibility.
import { z } from 'zod';

const Port = z.number().int().min(1).max(65535);
/** Allowlist entries: `nick!user@host` (or `nick!user`, `nick@host`; a bare nick with dangerouslyAllowNameMatching), `*` for anyone. */
const AllowList = z.array(z.union([z.string().max(512), z.number()])).max(10_000);

export const DM_POLICIES = ['pairing', 'allowlist', 'open', 'disabled'] as const;
export const GROUP_POLICIES = ['allowlist', 'open', 'disabled'] as const;
export type DmPolicy = (typeof DM_POLICIES)[number];
export type GroupPolicy = (typeof GROUP_POLICIES)[number];

const IrcGroupConfig = z.looseObject({
  /** Only messages that mention the bot are answered (default true). */
  requireMention: z.boolean().optional(),
  enabled: z.boolean().optional(),
  /** Who may talk to the agent in this channel (overrides groupAllowFrom). */
  allowFrom: AllowList.optional(),
  systemPrompt: z.string().max(100_000).optional(),
  tools: z.unknown().optional(),
  toolsBySender: z.unknown().optional(),
  skills: z.array(z.string()).optional(),
});

const IrcNickServConfig = z.strictObject({
  /** Default: on when a password is set. */
  enabled: z.boolean().optional(),
  /** Service nick (default NickServ). */
  service: z.string().min(1).max(64).optional(),
  password: z.string().max(512).optional(),
  passwordFile: z.string().max(4096).optional(),
  register: z.boolean().optional(),
  registerEmail: z.string().max(512).optional(),
});

/** One IRC account (the keys every account and the top-level block share). */
const IrcAccountShape = {
  name: z.string().max(256).optional(),
  enabled: z.boolean().optional(),
  dangerouslyAllowNameMatching: z.boolean().optional(),
  host: z.string().min(1).max(255).optional(),
  /** Default 6697 with TLS, 6667 without. */
  port: Port.optional(),
  /** Default true. */
  tls: z.boolean().optional(),
  nick: z.string().min(1).max(64).optional(),
  username: z.string().max(64).optional(),
  realname: z.string().max(256).optional(),
  /** Server password (PASS). */
  password: z.string().max(512).optional(),
  passwordFile: z.string().max(4096).optional(),
  nickserv: IrcNickServConfig.optional(),
  /** Default `pairing`. */
  dmPolicy: z.enum(DM_POLICIES).optional(),
  allowFrom: AllowList.optional(),
  defaultTo: z.string().max(256).optional(),
  /** Default `allowlist`: only channels named in `groups` (or `*`). */
  groupPolicy: z.enum(GROUP_POLICIES).optional(),
  groupAllowFrom: AllowList.optional(),
  groups: z.record(z.string().max(256), IrcGroupConfig).optional(),
  /** Joined on connect, e.g. ["#openclaw"]. */
  channels: z.array(z.string().min(1).max(256)).max(100).optional(),
  /** Regular expressions (case-insensitive) that count as a mention in channels, besides the nick. */
  mentionPatterns: z.array(z.string().min(1).max(256)).max(32).optional(),
  mentionPatternPolicy: z.unknown().optional(),
  /** Characters per outbound chunk before IRC's own line limit applies (default 350). */
  textChunkLimit: z.number().int().min(16).max(100_000).optional(),
  chunkMode: z.enum(['length', 'newline']).optional(),
  responsePrefix: z.string().max(64).optional(),
  markdown: z.unknown().optional(),
  historyLimit: z.number().int().min(0).optional(),
  dmHistoryLimit: z.number().int().min(0).optional(),
  dms: z.record(z.string(), z.unknown()).optional(),
  blockStreaming: z.boolean().optional(),
  blockStreamingCoalesce: z.unknown().optional(),
  mediaMaxMb: z.number().min(0).optional(),
  /** Outbound pacing so the server's excess-flood limit never trips (this gateway's key; default 5 lines at once, then one a second). */
  floodControl: z
    .strictObject({ burst: z.number().int().min(1).max(10_000).optional(), intervalMs: z.number().int().min(0).max(60_000).optional() })
    .optional(),
};

const requireOpenWildcard = (value: { dmPolicy?: DmPolicy | undefined; allowFrom?: (string | number)[] | undefined }, ctx: z.RefinementCtx): void => {
  if (value.dmPolicy === 'open' && !(value.allowFrom ?? []).some((e) => String(e).trim() === '*')) {
    ctx.addIssue({ code: 'custom', path: ['allowFrom'], message: 'dmPolicy "open" requires allowFrom to include "*"' });
  }
};

export const IrcAccountConfig = z.strictObject(IrcAccountShape).superRefine(requireOpenWildcard);
export type IrcAccountConfig = z.infer<typeof IrcAccountConfig>;

export const IrcConfig = z
  .strictObject({
    ...IrcAccountShape,
    accounts: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'account ids are [A-Za-z0-9_-], 64 at most'), IrcAccountConfig).optional(),
    defaultAccount: z.string().max(64).optional(),
  })
  .superRefine(requireOpenWildcard);
export type IrcConfig = z.infer<typeof IrcConfig>;

export const ChannelsConfig = z.looseObject({
  irc: IrcConfig.optional(),
  defaults: z.looseObject({}).optional(),
});
export type ChannelsConfig = z.infer<typeof ChannelsConfig>;

/** `bindings[]`: route a channel, account or peer to an agent (first match wins, most specific first). */
export const AgentBinding = z.looseObject({
  agentId: z.string().min(1).max(64),
  comment: z.string().optional(),
  match: z.looseObject({
    channel: z.string().min(1).max(64),
    /** An account id, or `*` for any. */
    accountId: z.string().min(1).max(64).optional(),
    peer: z.looseObject({ kind: z.enum(['direct', 'dm', 'group', 'channel']), id: z.string().min(1).max(512) }).optional(),
  }),
});
export type AgentBinding = z.infer<typeof AgentBinding>;
