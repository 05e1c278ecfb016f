// The agent `message` tool: sends through the same `send` path as operators and cron (an
// in-process caller, so scopes, validation and idempotency are the method's). Without `to`, it
// answers the peer of the channel session the run belongs to.
import { z } from 'zod';
import type { InProcessCaller } from '../core/in-process-caller.js';
import { GatewayError } from '../core/gateway-error.js';
import { ToolError } from '../tools/tool-error.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { targetOfSessionKey } from './session-routing.js';

const MessageArgs = z.strictObject({
  action: z.literal('send').default('send').describe('Only `send` is supported.'),
  channel: z.string().min(1).max(64).optional().describe('Channel id, e.g. `irc`; default: the channel of this conversation, or the only configured one.'),
  accountId: z.string().min(1).max(64).optional(),
  to: z.string().min(1).max(256).optional().describe('An IRC nick or `#channel`; default: whoever this conversation is with.'),
  message: z.string().min(1).max(20_000).describe('The text to send.'),
});

export function registerMessageTool(tools: ToolRegistry, caller: () => InProcessCaller): () => void {
  return tools.register({
    name: 'message',
    label: 'Message',
    group: 'messaging',
    description: 'Send a message to a person or a group on a messaging channel (IRC). Without `to`, replies in the current channel conversation.',
    parameters: MessageArgs,
    async run(args, ctx) {
      const here = ctx.sessionKey ? targetOfSessionKey(ctx.sessionKey) : undefined;
      const to = args.to ?? (here && (!args.channel || args.channel === here.channel) ? here.to : undefined);
      if (!to) throw new ToolError('invalid_args', 'message', '`to` is required outside a channel conversation');
      const params: Record<string, unknown> = {
        to,
        message: args.message,
        idempotencyKey: `tool:${ctx.runId ?? 'direct'}:${ctx.toolCallId}`,
        agentId: ctx.agentId,
      };
      const channel = args.channel ?? here?.channel;
      if (channel) params.channel = channel;
      const accountId = args.accountId ?? (here && here.channel === channel ? here.accountId : undefined);
      if (accountId) params.accountId = accountId;
      try {
        const sent = await caller().call('send', params, { signal: ctx.signal });
        return { ok: true, channel: sent.channel, to, messageId: sent.messageId };
      } catch (error) {
        if (error instanceof GatewayError) throw new ToolError('execution_failed', 'message', `message not sent: ${error.message}`, { cause: error });
        throw error;
      }
    },
  });
}
