// `openclaw agent --message <text>`: one agent turn through the gateway, the reply on stdout (the
// flags are upstream's). A spinner says what the run is doing; Ctrl-C aborts the run.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CliError } from '../cli-error.js';
import { clientOptionsHelp, runClientCommand, usageError } from '../client/client-command.js';
import { withGateway } from '../client/gateway-connection.js';
import { onInterrupt } from '../client/interrupt.js';
import { usageWithMethods } from '../client/method-docs.js';
import { startProgress } from '../client/progress-spinner.js';

type AgentParams = GatewayMethods['agent']['params'];
type AgentFinal = GatewayMethods['agent']['result'];

const USAGE = `Usage: openclaw agent --message <text> [options]

Runs one agent turn through the gateway and prints the reply. Without a session selector the
default agent's main session is used. Ctrl-C aborts the run (a second Ctrl-C exits at once).

Options:
  -m, --message <text>      the message (or --message-file <path>)
  --message-file <path>     read the message from a UTF-8 file
  --agent <id>              the agent (default: the default agent)
  --session-key <key>       the session key (e.g. agent:main:main)
  --session-id <id>         an existing session by its id
  -t, --to <dest>           a recipient the session key is derived from
  --model <id>              model for this run (provider/model)
  --thinking <level>        thinking level (off, minimal, low, medium, high, …)
  --deliver                 send the reply to the channel too
  --channel <channel>       delivery channel
  --reply-to <target>       delivery target override
  --reply-channel <ch>      delivery channel override
  --reply-account <id>      delivery account override
  --expect-final            accepted for upstream scripts (the reply is always awaited)

${clientOptionsHelp('  --timeout <seconds> the run\'s time limit (default 600, as upstream)')}`;

const AGENT_OPTIONS = {
  message: { type: 'string', short: 'm' },
  'message-file': { type: 'string' },
  agent: { type: 'string' },
  'session-key': { type: 'string' },
  'session-id': { type: 'string' },
  to: { type: 'string', short: 't' },
  model: { type: 'string' },
  thinking: { type: 'string' },
  deliver: { type: 'boolean' },
  channel: { type: 'string' },
  'reply-to': { type: 'string' },
  'reply-channel': { type: 'string' },
  'reply-account': { type: 'string' },
  'expect-final': { type: 'boolean' },
} as const;

function readMessage(values: { message?: string | undefined; 'message-file'?: string | undefined }): string {
  if (values.message !== undefined && values['message-file'] !== undefined) throw usageError('agent', 'pass either --message or --message-file, not both');
  let text = values.message;
  if (values['message-file'] !== undefined) {
    try {
      text = readFileSync(values['message-file'], 'utf8');
    } catch (error) {
      throw usageError('agent', `cannot read --message-file ${values['message-file']}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (text === undefined || text.trim() === '') throw usageError('agent', 'the message is missing: pass --message <text>');
  return text;
}

/** What the reply prints as: its texts, and media as `MEDIA:<url>` lines (upstream's form). */
export function replyLines(final: AgentFinal): string[] {
  const lines: string[] = [];
  for (const p of final.result?.payloads ?? []) {
    if (p.text) lines.push(p.text);
    for (const url of [...(p.mediaUrl ? [p.mediaUrl] : []), ...(p.mediaUrls ?? [])]) lines.push(`MEDIA:${url}`);
  }
  return lines;
}

export function runAgentCommand(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'agent', options: AGENT_OPTIONS, usage: usageWithMethods(USAGE, ['agent', 'chat.abort']), timeoutInSeconds: true },
    async ({ values, out, target, timeoutMs }) => {
      const message = readMessage(values);
      const runId = randomUUID();
      const params: AgentParams = { message, idempotencyKey: runId };
      if (values.agent) params.agentId = values.agent;
      if (values['session-key']) params.sessionKey = values['session-key'];
      if (values['session-id']) params.sessionId = values['session-id'];
      if (values.to) params.to = values.to;
      if (values.model) params.model = values.model;
      if (values.thinking) params.thinking = values.thinking;
      if (values.deliver) params.deliver = true;
      if (values.channel) params.channel = values.channel;
      if (values['reply-to']) params.replyTo = values['reply-to'];
      if (values['reply-channel']) params.replyChannel = values['reply-channel'];
      if (values['reply-account']) params.replyAccountId = values['reply-account'];
      if (values.timeout !== undefined) params.timeout = timeoutMs / 1000;

      let interrupted = false;
      const final = await withGateway(target, { timeoutMs: Math.min(timeoutMs, 10_000), scopes: ['operator.read', 'operator.write'], caps: ['tool-events'] }, async (client) => {
        const progress = startProgress(out, 'waiting for the agent…');
        let sessionKey = params.sessionKey;
        const offAgent = client.on('agent', (e) => {
          if (e.runId !== runId) return;
          sessionKey ??= e.sessionKey;
          if (e.stream === 'tool' && e.data.phase === 'start') progress.update(`running ${e.data.name}…`);
          else if (e.stream === 'assistant') progress.update('writing the reply…');
        });
        const stopInterrupt = onInterrupt(() => {
          interrupted = true;
          progress.update('aborting the run…');
          if (sessionKey) void client.chat.abort({ sessionKey, runId }).catch(() => {});
        });
        try {
          return await client.agent(params, { timeoutMs: timeoutMs + 30_000, onInterim: () => progress.update('the agent is working…') });
        } finally {
          stopInterrupt();
          offAgent();
          progress.stop();
        }
      });
      if (out.json) out.printJson(final);
      else for (const line of replyLines(final)) out.line(line);
      if (final.status === 'aborted') {
        if (interrupted) return 130;
        throw new CliError(`the run was aborted (${final.summary})`);
      }
      if (!out.json && replyLines(final).length === 0) out.note(out.errColor.dim('(the agent sent no reply)'));
      return 0;
    },
  );
}
