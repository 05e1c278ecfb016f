// `send`: one outbound message through a channel account, for operators, cron announce delivery
// and the agent `message` tool alike. Same idempotencyKey, same answer (5 minutes, 1000 keys, as
// upstream), and a second call while the first is in flight waits for it instead of sending twice.
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import type { SendParams, SendResult } from '../../contract/schemas/channels.js';
import { gatewayErrors } from '../core/error-constructors.js';
import { GatewayError, invalidRequest, notFound } from '../core/gateway-error.js';
import type { ChannelManager } from './channel-manager.js';

type Params = z.infer<typeof SendParams>;
type Result = z.infer<typeof SendResult>;
type Outcome = { readonly ok: true; readonly value: Result } | { readonly ok: false; readonly error: unknown };

/** Resolves `channel` and `accountId` of a send or a logout the way upstream does; throws typed errors. */
export function resolveAccount(manager: ChannelManager, channel: string | undefined, accountId: string | undefined): { channel: string; accountId: string } {
  let id = channel?.trim().toLowerCase();
  if (id === 'webchat') {
    throw invalidRequest('unsupported channel: webchat (internal-only). Use `chat.send` for WebChat UI messages or choose a deliverable channel.', { code: 'CHANNEL_INTERNAL_ONLY' });
  }
  if (!id) {
    const configured = [...new Set(manager.channelIds().filter((c) => c !== 'webchat' && manager.accountsOf(c).some((s) => s.account.configured)))];
    if (configured.length === 0) throw gatewayErrors.CHANNEL_NOT_FOUND({}, 'no deliverable channel is configured; configure one (e.g. channels.irc) or pass channel');
    if (configured.length > 1) throw invalidRequest(`several channels are configured (${configured.join(', ')}); pass channel`, { code: 'CHANNEL_AMBIGUOUS' });
    id = configured[0]!;
  }
  if (!manager.adapter(id)) throw gatewayErrors.CHANNEL_NOT_FOUND({}, `unsupported channel: ${id}`);
  const account = accountId?.trim() || manager.defaultAccountId(id);
  if (!manager.supervisor(id, account)) throw notFound(`channel ${id} has no account ${account}; channels.status lists the configured accounts`, 'CHANNEL_ACCOUNT_NOT_FOUND');
  return { channel: id, accountId: account };
}

export class ChannelSendService {
  private readonly done = new LRUCache<string, Outcome>({ max: 1000, ttl: 5 * 60_000 });
  private readonly inflight = new Map<string, Promise<Outcome>>();

  constructor(private readonly manager: ChannelManager) {}

  async send(params: Params): Promise<Result> {
    const key = `send:${params.idempotencyKey}`;
    const outcome = this.done.get(key) ?? (await (this.inflight.get(key) ?? this.start(key, params)));
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  private start(key: string, params: Params): Promise<Outcome> {
    const work = this.deliver(params).then(
      (value): Outcome => ({ ok: true, value }),
      (error: unknown): Outcome => ({ ok: false, error }),
    );
    this.inflight.set(key, work);
    return work.then((outcome) => {
      this.inflight.delete(key);
      // A refusal before anything was sent (bad target, not connected) may be retried with the same key.
      if (outcome.ok || !(outcome.error instanceof GatewayError) || outcome.error.details?.code === 'CHANNEL_SEND_FAILED') this.done.set(key, outcome);
      return outcome;
    });
  }

  private async deliver(params: Params): Promise<Result> {
    const media = [...(params.mediaUrl ? [params.mediaUrl] : []), ...(params.mediaUrls ?? [])].map((u) => u.trim()).filter(Boolean);
    const text = [params.message?.trim() ?? '', ...media].filter(Boolean).join('\n');
    if (!text) throw invalidRequest('invalid send params: text or media is required', { code: 'MESSAGE_REQUIRED' });
    const { channel, accountId } = resolveAccount(this.manager, params.channel, params.accountId);
    const supervisor = this.manager.supervisor(channel, accountId)!;
    const connection = supervisor.connection;
    if (!connection) {
      throw new GatewayError('UNAVAILABLE', `${channel} account ${accountId} is not connected (${supervisor.snapshot(this.manager.snapshotExtra(supervisor)).healthState}); channels.status says why`, {
        details: { code: 'CHANNEL_NOT_CONNECTED', channel, accountId },
        retryable: true,
        retryAfterMs: 1000,
      });
    }
    const to = connection.normalizeTarget(params.to);
    if (!to) throw invalidRequest(`invalid ${channel} target ${JSON.stringify(params.to)}: a nick or a channel name without spaces`, { code: 'CHANNEL_TARGET_INVALID' });
    try {
      const sent = await connection.send(to, text);
      supervisor.noteOutbound(Date.now());
      return { runId: params.idempotencyKey, messageId: sent.messageId, channel, accountId, to, parts: sent.parts };
    } catch (error) {
      throw new GatewayError('UNAVAILABLE', `sending to ${to} on ${channel} failed: ${(error as Error).message}`, {
        details: { code: 'CHANNEL_SEND_FAILED', channel, accountId },
        retryable: true,
      });
    }
  }
}
