// OpenAI-compatible HTTP bodies (docs/http.md "Chat completions and responses"). Requests are open objects because
// OpenAI SDKs send parameters the gateway ignores; the fields it acts on are typed precisely.
import { z } from 'zod';
import { Count, MAX_HTTP_TEXT } from './common.js';

import { ChatResponseFormat, FunctionDefinition, Temperature, TopP } from './openai-responses.js';

export * from './openai-responses.js';

const Text = z.string().max(MAX_HTTP_TEXT);
const Name = z.string().max(256);
const Penalty = z.number().min(-2).max(2).nullable().optional();

/** An error body in OpenAI's shape, e.g. `{"error":{"message":"Unauthorized","type":"unauthorized"}}`. */
export const OpenAIErrorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    code: z.string().nullable().optional(),
    param: z.string().nullable().optional(),
  }),
});
export type OpenAIErrorBody = z.infer<typeof OpenAIErrorBody>;

// ── /v1/chat/completions ───────────────────────────────────────────────────────────────

export const ChatCompletionContentPart = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: Text }),
  /** Only the last user turn's images reach the agent. */
  z.looseObject({
    type: z.literal('image_url'),
    image_url: z.looseObject({ url: Text, detail: z.enum(['auto', 'low', 'high']).optional() }),
  }),
  z.looseObject({ type: z.enum(['input_audio', 'file', 'refusal']) }),
]);

export const ChatCompletionToolCall = z.looseObject({
  id: Name,
  type: z.literal('function'),
  function: z.looseObject({ name: Name, arguments: Text }),
});

export const ChatCompletionMessage = z.looseObject({
  /** system/developer become extra system prompt; the rest is flattened into the conversation. */
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  /** null on assistant turns that only call tools. */
  content: z.union([Text, z.array(ChatCompletionContentPart).max(1000)]).nullable().optional(),
  name: Name.optional(),
  tool_call_id: Name.optional(),
  tool_calls: z.array(ChatCompletionToolCall).max(128).optional(),
});

/** A function the client runs itself: the model may call it, and the reply then carries `tool_calls`. */
export const ChatCompletionTool = z.looseObject({ type: z.literal('function'), function: FunctionDefinition });

export const ChatCompletionToolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: Name }) }),
]);

export const ChatCompletionRequest = z.looseObject({
  /** `openclaw`, `openclaw/<agentId>` (aliases `openclaw:<agentId>`, `agent:<agentId>`); absent = `openclaw`. */
  model: Name.optional(),
  messages: z.array(ChatCompletionMessage).min(1).max(10_000),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  /** Keys a stable session `agent:<id>:openai-user:<user>`. */
  user: Name.optional(),
  /** The turn's thinking level for reasoning models (`none`/`minimal`/`low`/`medium`/`high`, also `xhigh`, `off`). */
  reasoning_effort: z.string().max(32).nullable().optional(),
  /** Caps the reply's tokens (passed to the model); `max_completion_tokens` wins over the older `max_tokens`. */
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  /** Client-side functions (the agent's own tools stay available); a call ends the turn with `tool_calls`. */
  tools: z.array(ChatCompletionTool).max(128).optional(),
  tool_choice: ChatCompletionToolChoice.optional(),
  /** Sampling, passed to the model for every step of the run. */
  temperature: Temperature,
  top_p: TopP,
  seed: z.number().int().nullable().optional(),
  stop: z.union([z.string().max(256), z.array(z.string().max(256)).max(4)]).nullable().optional(),
  presence_penalty: Penalty,
  frequency_penalty: Penalty,
  /** JSON mode or a JSON schema the reply must match (structured outputs). */
  response_format: ChatResponseFormat.nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const ChatCompletionUsage = z.object({
  prompt_tokens: Count,
  completion_tokens: Count,
  total_tokens: Count,
});

const FinishReason = z.enum(['stop', 'length', 'tool_calls', 'content_filter']);

export const ChatCompletion = z.object({
  /** `chatcmpl_<uuid>` */
  id: z.string(),
  object: z.literal('chat.completion'),
  /** Unix seconds. */
  created: Count,
  model: z.string(),
  choices: z.array(
    z.object({
      index: Count,
      message: z.object({
        role: z.literal('assistant'),
        /** null when the reply is only tool calls. */
        content: z.string().nullable(),
        tool_calls: z.array(ChatCompletionToolCall).optional(),
      }),
      finish_reason: FinishReason,
    }),
  ),
  usage: ChatCompletionUsage,
});
export type ChatCompletion = z.infer<typeof ChatCompletion>;

/** One `data:` line of the stream: role chunk, content chunks, stop chunk, optional usage chunk (`choices: []`). */
export const ChatCompletionChunk = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: Count,
  model: z.string(),
  choices: z.array(
    z.object({
      index: Count,
      delta: z.object({
        role: z.literal('assistant').optional(),
        content: z.string().optional(),
        /** Each call whole, in one chunk, before the stop chunk. */
        tool_calls: z.array(z.object({ index: Count, id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) })).optional(),
      }),
      finish_reason: FinishReason.nullable(),
    }),
  ),
  usage: ChatCompletionUsage.nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;

// ── /v1/embeddings ─────────────────────────────────────────────────────────────────────

export const EmbeddingsRequest = z.looseObject({
  /** The agent whose embedding model answers: `openclaw`, `openclaw/<agentId>` (and the aliases). */
  model: Name.min(1),
  /** One text or several; limits (count, length) are checked with messages that name them. */
  input: z.union([z.string(), z.array(z.string()).max(10_000)]),
  /** `base64`: little-endian float32 values, base64-encoded. */
  encoding_format: z.enum(['float', 'base64']).optional(),
  /** Asks the embedding model for vectors of this length (models that support it). */
  dimensions: z.number().int().min(1).max(65_536).optional(),
  user: Name.optional(),
});
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequest>;

export const EmbeddingsResponse = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ object: z.literal('embedding'), index: Count, embedding: z.union([z.array(z.number()), z.string()]) })),
  /** The request's `model`, echoed. */
  model: z.string(),
  usage: z.object({ prompt_tokens: Count, total_tokens: Count }),
});
export type EmbeddingsResponse = z.infer<typeof EmbeddingsResponse>;

// ── /sessions/{key}/kill ───────────────────────────────────────────────────────────────

export const SessionKillResult = z.object({ ok: z.literal(true), killed: z.boolean() });

// ── /v1/models ─────────────────────────────────────────────────────────────────────────

export const OpenAIModel = z.object({
  /** `openclaw`, `openclaw/default` or `openclaw/<agentId>`. */
  id: z.string(),
  object: z.literal('model'),
  created: Count,
  owned_by: z.string(),
});

export const OpenAIModelList = z.object({ object: z.literal('list'), data: z.array(OpenAIModel) });
