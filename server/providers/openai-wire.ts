// Translation between our ModelMessage/ToolSpec shapes and the OpenAI Chat Completions wire format.
import type { ModelMessage, ModelRequest } from './model-types.js';
import { reasoningEffortOf } from './thinking-level.js';

type WireContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type WireMessage =
  | { role: 'system' | 'user'; content: string | WireContentPart[] }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
    }
  | { role: 'tool'; tool_call_id: string; content: string };

export function toWireMessage(message: ModelMessage): WireMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return {
        role: 'user',
        content:
          typeof message.content === 'string'
            ? message.content
            : message.content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image_url', image_url: { url: p.url } })),
      };
    case 'assistant':
      return message.toolCalls && message.toolCalls.length > 0
        ? {
            role: 'assistant',
            content: message.content === '' ? null : message.content,
            tool_calls: message.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments || '{}' } })),
          }
        : { role: 'assistant', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

/**
 * The wire messages. Chat Completions takes only text in `tool` messages, so images a tool returned
 * follow the run of tool results as one user message (tool results must directly follow the
 * assistant message that called them).
 */
export function wireMessages(messages: readonly ModelMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  let pending: WireContentPart[] | undefined;
  for (const message of messages) {
    if (pending && message.role !== 'tool') {
      out.push({ role: 'user', content: pending });
      pending = undefined;
    }
    out.push(toWireMessage(message));
    if (message.role === 'tool' && message.images && message.images.length > 0) {
      pending ??= [{ type: 'text', text: 'Images returned by the tool calls above:' }];
      for (const url of message.images) pending.push({ type: 'image_url', image_url: { url } });
    }
  }
  if (pending) out.push({ role: 'user', content: pending });
  return out;
}

/**
 * The request body of a streaming chat completion. `reasoning`: the model is a reasoning model, so
 * the request's thinking level goes out as `reasoning_effort` (other servers reject the field).
 */
export function chatCompletionBody(request: ModelRequest, reasoning = false): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: wireMessages(request.messages),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools.length > 0 && request.toolChoice !== 'none') {
    body.tools = request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    if (request.toolChoice !== undefined) {
      body.tool_choice = typeof request.toolChoice === 'string' ? request.toolChoice : { type: 'function', function: { name: request.toolChoice.name } };
    }
  }
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  const sampling = request.sampling;
  if (sampling) {
    if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
    if (sampling.topP !== undefined) body.top_p = sampling.topP;
    if (sampling.seed !== undefined) body.seed = sampling.seed;
    if (sampling.stop !== undefined) body.stop = sampling.stop;
    if (sampling.presencePenalty !== undefined) body.presence_penalty = sampling.presencePenalty;
    if (sampling.frequencyPenalty !== undefined) body.frequency_penalty = sampling.frequencyPenalty;
    const format = sampling.responseFormat;
    if (format?.type === 'json_schema') {
      const { type, ...jsonSchema } = format;
      body.response_format = { type, json_schema: jsonSchema };
    } else if (format) body.response_format = { type: format.type };
  }
  if (reasoning && request.thinking !== undefined) {
    const effort = reasoningEffortOf(request.thinking);
    if (effort) body.reasoning_effort = effort;
  }
  return body;
}

/** The parts of a `chat.completion.chunk` (or a non-stream `chat.completion`) we read. */
export interface WireChunk {
  choices?: {
    delta?: WireDelta;
    message?: WireDelta;
    finish_reason?: string | null;
  }[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
    cache_creation_input_tokens?: number;
  } | null;
  error?: { message?: string; type?: string; code?: string | number } | string;
}

export interface WireDelta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: {
    index?: number;
    id?: string;
    function?: { name?: string; arguments?: string };
  }[];
}
