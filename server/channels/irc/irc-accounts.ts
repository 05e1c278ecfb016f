// IRC accounts from `channels.irc`: the block itself is the default account, each
// `accounts.<id>` inherits its keys and overrides some. Defaults as upstream: TLS on, port 6697
// with TLS (6667 without), dmPolicy pairing, groupPolicy allowlist, chunks of 350 characters.
import { createHash } from 'node:crypto';
import type { IrcAccountConfig, IrcConfig } from '../../../contract/schemas/channels-config.js';
import type { OpenClawConfig } from '../../../contract/schemas/config.js';
import type { IrcIdentity } from './irc-connection.js';
import { DEFAULT_SEND_QUEUE } from './irc-send-queue.js';
import { DEFAULT_ACCOUNT_ID, type AccessSettings, type ChannelAccount, type GroupSettings } from '../channel-adapter.js';

export interface IrcSettings extends IrcIdentity {
  readonly password?: string | undefined;
  readonly passwordFile?: string | undefined;
  readonly nickserv?: { readonly service: string; readonly password?: string | undefined; readonly passwordFile?: string | undefined; readonly register: boolean; readonly email?: string | undefined } | undefined;
  readonly channels: readonly string[];
  readonly textChunkLimit: number;
  readonly chunkMode: 'length' | 'newline';
  readonly responsePrefix?: string | undefined;
  readonly allowNameMatching: boolean;
  readonly floodControl: { readonly burst: number; readonly intervalMs: number };
}

export const DEFAULT_TEXT_CHUNK_LIMIT = 350;

/** Lower case, without the `irc:` / `user:` prefixes upstream accepts. */
export function normalizeIrcAllowEntry(entry: string | number): string {
  let value = String(entry).trim().toLowerCase();
  for (const prefix of ['irc:', 'user:']) if (value.startsWith(prefix)) value = value.slice(prefix.length).trim();
  return value;
}

const allowList = (entries: readonly (string | number)[] | undefined): string[] => (entries ?? []).map(normalizeIrcAllowEntry).filter(Boolean);

function compilePatterns(patterns: readonly string[] | undefined): RegExp[] {
  const out: RegExp[] = [];
  for (const pattern of patterns ?? []) {
    try {
      out.push(new RegExp(pattern, 'i'));
    } catch {
      // An invalid pattern never matches; config validation cannot compile regular expressions for us.
    }
  }
  return out;
}

function accessOf(config: IrcAccountConfig): AccessSettings {
  const groups: Record<string, GroupSettings> = {};
  for (const [key, group] of Object.entries(config.groups ?? {})) {
    groups[key.toLowerCase()] = {
      requireMention: group.requireMention,
      enabled: group.enabled,
      allowFrom: group.allowFrom ? allowList(group.allowFrom) : undefined,
      systemPrompt: group.systemPrompt,
    };
  }
  return {
    dmPolicy: config.dmPolicy ?? 'pairing',
    allowFrom: allowList(config.allowFrom),
    groupPolicy: config.groupPolicy ?? 'allowlist',
    groupAllowFrom: allowList(config.groupAllowFrom),
    groups,
    mentionPatterns: compilePatterns(config.mentionPatterns),
  };
}

function mergeAccount(base: IrcAccountConfig, own: IrcAccountConfig | undefined): IrcAccountConfig {
  if (!own) return base;
  const nickserv = base.nickserv || own.nickserv ? { ...base.nickserv, ...own.nickserv } : undefined;
  return { ...base, ...own, ...(nickserv ? { nickserv } : {}) };
}

const secretDigest = (value: string | undefined): string | undefined => (value === undefined ? undefined : createHash('sha256').update(value).digest('hex').slice(0, 16));

function resolve(accountId: string, config: IrcAccountConfig): ChannelAccount {
  const tls = config.tls ?? true;
  const nick = config.nick?.trim() ?? '';
  const host = config.host?.trim() ?? '';
  const missing = !host ? 'channels.irc.host' : !nick ? 'channels.irc.nick' : undefined;
  const ns = config.nickserv;
  const nickservOn = ns && (ns.enabled ?? Boolean(ns.password || ns.passwordFile)) && (ns.password || ns.passwordFile);
  const settings: IrcSettings = {
    host,
    port: config.port ?? (tls ? 6697 : 6667),
    tls,
    nick,
    username: config.username?.trim() || nick,
    realname: config.realname?.trim() || 'OpenClaw',
    password: config.password,
    passwordFile: config.passwordFile,
    nickserv: nickservOn ? { service: ns.service ?? 'NickServ', password: ns.password, passwordFile: ns.passwordFile, register: ns.register ?? false, email: ns.registerEmail } : undefined,
    channels: config.channels ?? [],
    textChunkLimit: config.textChunkLimit ?? DEFAULT_TEXT_CHUNK_LIMIT,
    chunkMode: config.chunkMode ?? 'length',
    responsePrefix: config.responsePrefix,
    allowNameMatching: config.dangerouslyAllowNameMatching ?? false,
    floodControl: { burst: config.floodControl?.burst ?? DEFAULT_SEND_QUEUE.burst, intervalMs: config.floodControl?.intervalMs ?? DEFAULT_SEND_QUEUE.intervalMs },
  };
  // Secrets enter the fingerprint as digests only: a changed password reconnects, nothing leaks.
  const fingerprint = JSON.stringify({
    ...settings,
    password: secretDigest(settings.password),
    nickserv: settings.nickserv ? { ...settings.nickserv, password: secretDigest(settings.nickserv.password) } : undefined,
    textChunkLimit: undefined,
    chunkMode: undefined,
    responsePrefix: undefined,
    allowNameMatching: undefined,
  });
  return {
    channel: 'irc',
    accountId,
    name: config.name,
    enabled: config.enabled ?? true,
    configured: missing === undefined,
    missing,
    fingerprint,
    access: accessOf(config),
    describe: {
      host: settings.host || null,
      port: settings.port,
      tls: settings.tls,
      nick: settings.nick || null,
      channels: [...settings.channels],
      groupPolicy: config.groupPolicy ?? 'allowlist',
      credentialSource: settings.password ? 'config' : settings.passwordFile ? 'file' : null,
    },
    settings,
  };
}

/** The default account first (when the top-level block is one), then `accounts.*` in config order. */
export function listIrcAccounts(config: OpenClawConfig): ChannelAccount[] {
  const irc: IrcConfig | undefined = config.channels?.irc;
  if (!irc) return [];
  const { accounts, defaultAccount: _defaultAccount, ...base } = irc;
  const out: ChannelAccount[] = [];
  const named = Object.entries(accounts ?? {});
  if (named.length === 0 || base.host || base.nick) out.push(resolve(DEFAULT_ACCOUNT_ID, base));
  for (const [id, own] of named) if (id !== DEFAULT_ACCOUNT_ID || out.length === 0) out.push(resolve(id, mergeAccount(base, own)));
  return out;
}

export function defaultIrcAccountId(config: OpenClawConfig): string {
  const irc = config.channels?.irc;
  const ids = listIrcAccounts(config).map((a) => a.accountId);
  if (irc?.defaultAccount && ids.includes(irc.defaultAccount)) return irc.defaultAccount;
  return ids[0] ?? DEFAULT_ACCOUNT_ID;
}

/** Where an account's own credentials live in the config file (channels.logout removes them). */
export function ircCredentialPaths(config: OpenClawConfig, accountId: string): string[][] {
  const own = config.channels?.irc?.accounts?.[accountId] !== undefined;
  const prefix = own ? ['channels', 'irc', 'accounts', accountId] : ['channels', 'irc'];
  return [
    [...prefix, 'password'],
    [...prefix, 'passwordFile'],
    [...prefix, 'nickserv', 'password'],
    [...prefix, 'nickserv', 'passwordFile'],
  ];
}
