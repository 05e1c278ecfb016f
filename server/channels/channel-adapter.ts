// The one interface a messaging network implements to become a channel: list its accounts from
// the config, open a connection for one, and send through it. Everything else — starting,
// restarting with backoff, access policy, pairing, routing to agents, status — is the framework's
// (channel-manager.ts), so a second network is one new folder with one adapter.
import type { DmPolicy, GroupPolicy } from '../../contract/schemas/channels-config.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';

export const DEFAULT_ACCOUNT_ID = 'default';

/** Per-conversation settings of a group (an IRC channel, a chat room). */
export interface GroupSettings {
  readonly requireMention?: boolean | undefined;
  readonly enabled?: boolean | undefined;
  readonly allowFrom?: readonly string[] | undefined;
  readonly systemPrompt?: string | undefined;
}

/** Who may reach the agent through an account, in upstream's terms. */
export interface AccessSettings {
  readonly dmPolicy: DmPolicy;
  /** Normalised entries (`*` for anyone). */
  readonly allowFrom: readonly string[];
  readonly groupPolicy: GroupPolicy;
  readonly groupAllowFrom: readonly string[];
  /** Keyed by the group id in lower case; `*` applies to every group. */
  readonly groups: Readonly<Record<string, GroupSettings>>;
  /** Case-insensitive regular expressions that count as a mention besides the account's own name. */
  readonly mentionPatterns: readonly RegExp[];
}

/** One account as the config describes it, resolved (defaults applied, inherited keys merged). */
export interface ChannelAccount {
  readonly channel: string;
  readonly accountId: string;
  readonly name?: string | undefined;
  readonly enabled: boolean;
  /** Enough config to connect (IRC: host and nick). */
  readonly configured: boolean;
  /** Why it is not configured, for status. */
  readonly missing?: string | undefined;
  /** Changes whenever anything that needs a reconnect changes (config reloads compare it). */
  readonly fingerprint: string;
  readonly access: AccessSettings;
  /** Extra snapshot fields shown in channels.status (never secrets). */
  readonly describe: Readonly<Record<string, unknown>>;
  /** Adapter-specific settings, opaque to the framework. */
  readonly settings: unknown;
}

/** One inbound message, as the adapter saw it. */
export interface InboundMessage {
  readonly chatType: 'direct' | 'group';
  /** The conversation: the group id for groups, the sender's id for DMs (where replies go). */
  readonly peerId: string;
  readonly sender: {
    /** Stable identity shown to operators and stored when paired (IRC: `nick!user@host`). */
    readonly id: string;
    readonly name: string;
    /** Normalised identities an allowlist entry may name (IRC: nick!user@host, nick!user, nick@host, nick if allowed). */
    readonly allowCandidates: readonly string[];
  };
  readonly text: string;
  readonly receivedAt: number;
}

/** The network's answer to a send. */
export interface SentMessage {
  readonly messageId: string;
  /** Lines or parts it took. */
  readonly parts: number;
}

/** How a connection ended. */
export interface ConnectionEnd {
  readonly error: string;
  /** Retrying cannot help; the manager stops and says so. */
  readonly fatal: boolean;
}

/** A live connection of one account. */
export interface ChannelConnection {
  /** Resolves once, when the connection is gone. */
  readonly closed: Promise<ConnectionEnd>;
  /** Names that count as mentioning the account in groups (IRC: the current nick). */
  selfNames(): readonly string[];
  /** A target as the network names it, or undefined when it cannot be one (the send is refused). */
  normalizeTarget(to: string): string | undefined;
  send(to: string, text: string): Promise<SentMessage>;
  /** A live round trip to the network (channels.status probe); resolves with latency in ms. */
  probe?(timeoutMs: number): Promise<number>;
  /** Snapshot fields of the live connection (current nick, server…). */
  describe(): Record<string, unknown>;
  close(reason: string): Promise<void>;
}

export class ChannelConnectError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/** What a connection may tell the framework while it runs. */
export interface ConnectionSink {
  inbound(message: InboundMessage): void;
  /** Any traffic (keeps lastTransportActivityAt fresh). */
  activity(at: number): void;
  log(level: 'debug' | 'info' | 'warn', message: string, fields?: Record<string, unknown>): void;
}

export interface ChannelAdapter {
  readonly id: string;
  readonly label: string;
  readonly detailLabel: string;
  /** Accounts in the config (the default account first); empty when the channel is not configured at all. */
  listAccounts(config: OpenClawConfig): ChannelAccount[];
  defaultAccountId(config: OpenClawConfig): string;
  /** Opens a connection; resolves once it can send and receive. Rejects with ChannelConnectError. */
  connect(account: ChannelAccount, sink: ConnectionSink, signal: AbortSignal): Promise<ChannelConnection>;
  /** Config paths (from the root) holding this account's credentials, removed by channels.logout. */
  credentialPaths?(config: OpenClawConfig, accountId: string): string[][];
}
