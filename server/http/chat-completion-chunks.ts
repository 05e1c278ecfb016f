// The bodies of /v1/chat/completions: the whole completion, and the chunks of its SSE stream
// (role chunk, content chunks, a tool-calls chunk when the model called client tools, stop chunk,
// optional usage chunk with `choices: []`).
import { randomUUID } from 'node:crypto';
import type { ChatCompletion, ChatCompletionChunk } from '../../contract/schemas/openai-http.js';
import type { Mutable } from '../core/mutable.js';
import type { ModelToolCall } from '../providers/model-types.js';

export interface CompletionUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export type FinishReason = ChatCompletion['choices'][number]['finish_reason'];

/** Token counts as OpenAI names them; the total is derived when the run did not report one. */
export function completionUsage(usage: { input?: number; output?: number; totalTokens?: number } | undefined): CompletionUsage {
  const prompt = usage?.input ?? 0;
  const completion = usage?.output ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: usage?.totalTokens ?? prompt + completion };
}

export class ChatCompletionBuilder {
  readonly id = `chatcmpl_${randomUUID()}`;
  readonly created = Math.floor(Date.now() / 1000);

  constructor(readonly model: string) {}

  /** With client tool calls the message carries `tool_calls`, and `content` is null when there is no text. */
  completion(content: string, finishReason: FinishReason, usage: CompletionUsage, toolCalls: readonly ModelToolCall[] = []): ChatCompletion {
    const message: Mutable<ChatCompletion['choices'][number]['message']> = { role: 'assistant', content };
    if (toolCalls.length > 0) {
      if (!content) message.content = null;
      message.tool_calls = toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
    }
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, message, finish_reason: finishReason }],
      usage,
    };
  }

  roleChunk(): ChatCompletionChunk {
    return this.chunk({ role: 'assistant' }, null);
  }

  contentChunk(content: string): ChatCompletionChunk {
    return this.chunk({ content }, null);
  }

  /** Every client tool call, each whole (id, name, all arguments), as OpenAI streams them indexed. */
  toolCallsChunk(toolCalls: readonly ModelToolCall[]): ChatCompletionChunk {
    return this.chunk({ tool_calls: toolCalls.map((call, index) => ({ index, id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })) }, null);
  }

  stopChunk(finishReason: FinishReason): ChatCompletionChunk {
    return this.chunk({}, finishReason);
  }

  usageChunk(usage: CompletionUsage): ChatCompletionChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage };
  }

  private chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finishReason: FinishReason | null): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
  }
}
