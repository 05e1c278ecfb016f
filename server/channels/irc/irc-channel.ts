// The IRC adapter: accounts from `channels.irc`, one IrcConnection per running account, PRIVMSGs
// to the bot (DMs) or in joined channels turned into inbound messages, replies split to fit.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { OpenClawConfig } from '../../../contract/schemas/config.js';
import {
  ChannelConnectError,
  type ChannelAccount,
  type ChannelAdapter,
  type ChannelConnection,
  type ConnectionSink,
  type InboundMessage,
} from '../channel-adapter.js';
import { defaultIrcAccountId, ircCredentialPaths, listIrcAccounts, type IrcSettings } from './irc-accounts.js';
import { IrcConnectError, IrcConnection, type IrcConnectOptions, type IrcPrivmsg } from './irc-connection.js';
import { isChannelName, isValidTarget } from './irc-line.js';
import { DEFAULT_SEND_QUEUE, type SendQueueOptions } from './irc-send-queue.js';

/** Timers and pacing; tests and benchmarks shorten them. */
export interface IrcTuning {
  readonly registerTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  readonly pingTimeoutMs?: number;
  readonly sendQueue?: SendQueueOptions;
}

async function readSecret(inline: string | undefined, file: string | undefined, what: string): Promise<string | undefined> {
  if (inline) return inline;
  if (!file) return undefined;
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (error) {
    throw new ChannelConnectError(`cannot read ${what} file ${file}: ${(error as Error).message}`, true);
  }
}

function senderIdentity(message: IrcPrivmsg, allowNameMatching: boolean): InboundMessage['sender'] {
  const { nick, user, host } = message.source;
  const id = `${nick}${user ? `!${user}` : ''}${host ? `@${host}` : ''}`;
  const n = nick.toLowerCase();
  const u = user?.toLowerCase();
  const h = host?.toLowerCase();
  const candidates = new Set<string>();
  if (allowNameMatching) candidates.add(n);
  if (u) candidates.add(`${n}!${u}`);
  if (h) candidates.add(`${n}@${h}`);
  if (u && h) candidates.add(`${n}!${u}@${h}`);
  return { id, name: nick, allowCandidates: [...candidates] };
}

/** Accepts upstream's target spellings: `irc:`, `user:nick`, `channel:name`. */
export function normalizeIrcTarget(raw: string): string | undefined {
  let target = raw.trim();
  if (target.toLowerCase().startsWith('irc:')) target = target.slice(4).trim();
  if (target.toLowerCase().startsWith('channel:')) {
    target = target.slice(8).trim();
    if (!isChannelName(target)) target = `#${target}`;
  } else if (target.toLowerCase().startsWith('user:')) target = target.slice(5).trim();
  return isValidTarget(target) ? target : undefined;
}

class IrcChannelConnection implements ChannelConnection {
  readonly closed;

  constructor(
    private readonly irc: IrcConnection,
    private readonly settings: IrcSettings,
  ) {
    this.closed = irc.closed;
  }

  selfNames(): readonly string[] {
    return [this.irc.nick];
  }

  normalizeTarget(to: string): string | undefined {
    return normalizeIrcTarget(to);
  }

  async send(to: string, text: string): Promise<{ messageId: string; parts: number }> {
    const body = this.settings.responsePrefix ? `${this.settings.responsePrefix} ${text}` : text;
    const chunk = this.settings.chunkMode === 'newline' ? Math.max(this.settings.textChunkLimit, 1) : this.settings.textChunkLimit;
    const parts = await this.irc.send(to, body, chunk);
    return { messageId: `irc-${randomUUID()}`, parts };
  }

  probe(timeoutMs: number): Promise<number> {
    return this.irc.ping(timeoutMs);
  }

  describe(): Record<string, unknown> {
    return { currentNick: this.irc.nick, server: `${this.settings.host}:${this.settings.port}` };
  }

  close(reason: string): Promise<void> {
    return this.irc.quit(reason);
  }
}

export function createIrcAdapter(tuning: IrcTuning = {}): ChannelAdapter {
  return {
    id: 'irc',
    label: 'IRC',
    detailLabel: 'IRC (Internet Relay Chat)',
    listAccounts: (config: OpenClawConfig) => listIrcAccounts(config),
    defaultAccountId: (config: OpenClawConfig) => defaultIrcAccountId(config),
    credentialPaths: (config: OpenClawConfig, accountId: string) => ircCredentialPaths(config, accountId),

    async connect(account: ChannelAccount, sink: ConnectionSink, signal: AbortSignal): Promise<ChannelConnection> {
      const s = account.settings as IrcSettings;
      const password = await readSecret(s.password, s.passwordFile, 'channels.irc.passwordFile');
      const nickservPassword = s.nickserv ? await readSecret(s.nickserv.password, s.nickserv.passwordFile, 'channels.irc.nickserv.passwordFile') : undefined;
      const options: IrcConnectOptions = {
        host: s.host,
        port: s.port,
        tls: s.tls,
        nick: s.nick,
        username: s.username,
        realname: s.realname,
        password,
        nickserv: s.nickserv && nickservPassword ? { service: s.nickserv.service, password: nickservPassword, register: s.nickserv.register, email: s.nickserv.email } : undefined,
        channels: s.channels,
        signal,
        sendQueue: { ...DEFAULT_SEND_QUEUE, ...s.floodControl },
        ...tuning,
      };
      let irc: IrcConnection;
      try {
        irc = await IrcConnection.open(options, {
          onPrivmsg: (message) => {
            const group = isChannelName(message.target);
            sink.inbound({
              chatType: group ? 'group' : 'direct',
              peerId: group ? message.target.toLowerCase() : message.source.nick,
              sender: senderIdentity(message, s.allowNameMatching),
              text: message.ctcp === 'ACTION' ? `* ${message.source.nick} ${message.text}` : message.text,
              receivedAt: message.receivedAt,
            });
          },
          onActivity: (at) => sink.activity(at),
        });
      } catch (error) {
        if (error instanceof IrcConnectError) throw new ChannelConnectError(error.message, error.fatal);
        throw error;
      }
      sink.log('info', 'irc connected', { accountId: account.accountId, server: `${s.host}:${s.port}`, nick: irc.nick });
      return new IrcChannelConnection(irc, s);
    },
  };
}
