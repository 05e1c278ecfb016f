// An inbound channel message becomes a turn of the bound agent, through an in-process caller (the
// same dispatcher, scopes and validation as any client), and its reply goes back to where the
// message came from. Access policy runs first: nothing from an unknown sender reaches the model.
import { randomUUID } from 'node:crypto';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { InProcessCaller } from '../core/in-process-caller.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { AccountSupervisor } from './account-supervisor.js';
import { decideAccess } from './access-policy.js';
import type { InboundMessage } from './channel-adapter.js';
import type { ChannelPairing } from './channel-pairing.js';
import { boundAgentId, channelSessionKey } from './session-routing.js';

export interface InboundDeps {
  readonly config: () => OpenClawConfig;
  readonly defaultAgentId: () => string;
  readonly caller: () => InProcessCaller;
  readonly pairing: ChannelPairing;
  readonly logger: GatewayLogger;
  readonly onPairingRequested: (channel: string, accountId: string, request: ReturnType<ChannelPairing['list']>[number]) => void;
  /** Measured turns (benchmarks): inbound received → reply handed to the network. */
  readonly onTurnDone?: (timing: { receivedAt: number; repliedAt: number }) => void;
}

const MAX_INBOUND_CHARS = 8000;

function pairingText(code: string, channel: string): string {
  return `Hi! I don't know you yet, so I can't pass your messages on. Your pairing code is ${code}; ask the operator of this gateway to approve it (channel.pairing.approve ${channel} ${code}). It is valid for one hour.`;
}

export class InboundRouter {
  constructor(private readonly deps: InboundDeps) {}

  /** Handles one message to completion; never throws (failures are logged and, where useful, answered). */
  async handle(supervisor: AccountSupervisor, message: InboundMessage): Promise<void> {
    const { channel, accountId, access } = supervisor.account;
    supervisor.noteInbound(message.receivedAt);
    const connection = supervisor.connection;
    if (!connection) return;
    const decision = decideAccess(message, access, this.deps.pairing.approved(channel, accountId), connection.selfNames());
    if (decision.kind === 'drop') {
      this.deps.logger.debug('channel message dropped', { channel, accountId, chatType: message.chatType, sender: message.sender.id, reason: decision.reason });
      return;
    }
    if (decision.kind === 'pair') {
      const outcome = this.deps.pairing.request(channel, accountId, message.sender.id, { name: message.sender.name });
      if (outcome.kind !== 'created') return;
      this.deps.onPairingRequested(channel, accountId, outcome.request);
      await this.reply(supervisor, message.peerId, pairingText(outcome.request.code, channel));
      return;
    }
    const text = decision.text.trim().slice(0, MAX_INBOUND_CHARS);
    if (!text) return;
    const config = this.deps.config();
    const target = { channel, accountId, chatType: message.chatType, peerId: message.peerId };
    const agentId = boundAgentId(config.bindings, target) ?? this.deps.defaultAgentId();
    const sessionKey = channelSessionKey(config, agentId, target);
    const body = message.chatType === 'group' ? `[${message.sender.name}] ${text}` : text;
    const prompts = [
      `This conversation is on ${channel} (${message.chatType === 'group' ? `group ${message.peerId}` : `direct messages with ${message.sender.name}`}); replies are sent there as plain text.`,
    ];
    if (decision.group?.systemPrompt) prompts.push(decision.group.systemPrompt);
    supervisor.noteRun(1);
    let reply: string | undefined;
    try {
      const final = await this.deps.caller().call('agent', {
        message: body,
        idempotencyKey: `${channel}:${accountId}:${randomUUID()}`,
        agentId,
        sessionKey,
        channel,
        accountId,
        extraSystemPrompt: prompts.join('\n\n'),
        inputProvenance: { kind: 'external_user', sourceChannel: channel },
      });
      reply = (final.result?.payloads ?? []).map((p) => p.text ?? '').filter(Boolean).join('\n\n');
    } catch (error) {
      this.deps.logger.warn('channel turn failed', { channel, accountId, sessionKey, error: (error as Error).message });
      reply = 'Sorry, I could not answer that just now.';
    } finally {
      supervisor.noteRun(-1);
    }
    if (reply) await this.reply(supervisor, message.peerId, reply);
    this.deps.onTurnDone?.({ receivedAt: message.receivedAt, repliedAt: Date.now() });
  }

  private async reply(supervisor: AccountSupervisor, to: string, text: string): Promise<void> {
    const connection = supervisor.connection;
    if (!connection) return;
    try {
      await connection.send(to, text);
      supervisor.noteOutbound(Date.now());
    } catch (error) {
      this.deps.logger.warn('channel reply not delivered', { channel: supervisor.account.channel, accountId: supervisor.account.accountId, error: (error as Error).message });
    }
  }
}
