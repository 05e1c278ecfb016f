// The built-in offline responder, so a fresh gateway answers without any configuration. It is
// deterministic and says what it is: it echoes the user, and calls a tool when asked with
// `/tool <name> <json args>`; after a tool result it reports that result.
import type { ModelMessage, ModelProvider, ModelRequest, ModelStreamEvent, UserContentPart } from './model-types.js';
import { ProviderError } from './provider-error.js';

export const OFFLINE_PROVIDER_ID = 'offline';
export const OFFLINE_MODEL_ID = 'echo';
export const OFFLINE_MODEL_NAME = 'Offline echo (built in; configure models.providers to use a real model)';

const LABEL = '[offline echo model]';
const TOOL_COMMAND = /^\s*\/tool\s+([A-Za-z0-9_-]{1,64})(?:\s+([\s\S]*))?$/;

const textOf = (content: string | readonly UserContentPart[]): string =>
  typeof content === 'string' ? content : content.map((p) => (p.type === 'text' ? p.text : '[image]')).join(' ');

/** Rough token count (≈ 4 characters per token), so usage accounting has numbers to add. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

function summaryOf(messages: readonly ModelMessage[]): string {
  const said = messages.filter((m) => m.role === 'user').map((m) => (m.role === 'user' ? textOf(m.content).slice(0, 200) : ''));
  return `${LABEL} summary of ${messages.length} messages; the user said: ${said.join(' | ')}`;
}

function replyFor(messages: readonly ModelMessage[], toolNames: ReadonlySet<string>): { text: string } | { tool: string; args: string } {
  const last = messages[messages.length - 1];
  if (last?.role === 'tool') {
    const name = last.name ?? 'the tool';
    const result = last.content.length > 2000 ? `${last.content.slice(0, 2000)}…` : last.content;
    return { text: `${LABEL} ${name} returned: ${result}` };
  }
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const said = lastUser && lastUser.role === 'user' ? textOf(lastUser.content) : '';
  const command = TOOL_COMMAND.exec(said);
  if (command) {
    const name = command[1]!;
    if (!toolNames.has(name)) return { text: `${LABEL} there is no tool named ${name} available to me.` };
    return { tool: name, args: (command[2] ?? '').trim() || '{}' };
  }
  return { text: `${LABEL} You said: ${said}` };
}

export class OfflineProvider implements ModelProvider {
  readonly id = OFFLINE_PROVIDER_ID;
  private callCounter = 0;

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    if (request.signal.aborted) throw new ProviderError('aborted', this.id, 'the run was aborted');
    const reply =
      request.purpose === 'summary' ? { text: summaryOf(request.messages) } : replyFor(request.messages, new Set(request.tools.map((t) => t.name)));
    const input = estimateTokens(request.messages.map((m) => (m.role === 'user' ? textOf(m.content) : m.content)).join('\n'));
    if ('tool' in reply) {
      yield { type: 'tool_call', call: { id: `offline_call_${++this.callCounter}`, name: reply.tool, arguments: reply.args } };
      yield { type: 'usage', usage: { input, output: estimateTokens(reply.args), cacheRead: 0, cacheWrite: 0 } };
      yield { type: 'stop', reason: 'tool_calls' };
      return;
    }
    // Word-sized chunks, so clients see a real stream.
    for (const piece of reply.text.match(/\S+\s*/g) ?? [reply.text]) {
      if (request.signal.aborted) throw new ProviderError('aborted', this.id, 'the run was aborted');
      yield { type: 'text', text: piece };
    }
    yield { type: 'usage', usage: { input, output: estimateTokens(reply.text), cacheRead: 0, cacheWrite: 0 } };
    yield { type: 'stop', reason: 'stop' };
  }
}
