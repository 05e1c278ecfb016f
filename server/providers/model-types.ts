// The one shape every model provider speaks: OpenAI-style chat messages in, a stream of text,
// complete tool calls, usage and a stop reason out.
import type { ToolSpec } from '../tools/tool-types.js';
import type { ThinkingLevel } from './thinking-level.js';

export interface ModelToolCall {
  readonly id: string;
  readonly name: string;
  /** JSON text exactly as the model produced it. */
  readonly arguments: string;
}

export type UserContentPart =
  | { readonly type: 'text'; readonly text: string }
  /** `url` is an http(s) URL or a `data:<mime>;base64,…` URL. */
  | { readonly type: 'image'; readonly url: string };

export type ModelMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string | readonly UserContentPart[] }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ModelToolCall[] }
  | {
      readonly role: 'tool';
      readonly toolCallId: string;
      readonly name?: string;
      readonly content: string;
      /** Images the tool returned (data URLs), for models that read images. */
      readonly images?: readonly string[];
    };

export type ModelToolChoice = 'auto' | 'none' | 'required' | { readonly name: string };

/** The shape the model's reply must have (OpenAI's JSON mode and structured outputs). */
export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | { readonly type: 'json_schema'; readonly name: string; readonly schema?: Record<string, unknown>; readonly strict?: boolean; readonly description?: string };

/** Sampling settings a caller may pass to the model (OpenAI's names and ranges); providers may ignore them. */
export interface SamplingOptions {
  readonly temperature?: number;
  readonly topP?: number;
  readonly seed?: number;
  readonly stop?: readonly string[];
  readonly presencePenalty?: number;
  readonly frequencyPenalty?: number;
  readonly responseFormat?: ResponseFormat;
}

export interface ModelRequest {
  /** The provider's own model id (without the `<provider>/` prefix). */
  readonly model: string;
  readonly messages: readonly ModelMessage[];
  readonly tools: readonly ToolSpec[];
  readonly toolChoice?: ModelToolChoice;
  readonly maxTokens?: number;
  readonly signal: AbortSignal;
  /** `summary` for session compaction; providers may ignore it (the offline one uses it). */
  readonly purpose?: 'turn' | 'summary';
  /**
   * How hard to think. Providers pass it on only for models that reason (an OpenAI-compatible
   * provider: models with `reasoning: true` in its config) and ignore it otherwise.
   */
  readonly thinking?: ThinkingLevel;
  readonly sampling?: SamplingOptions;
}

export interface ModelUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export type ModelStopReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export type ModelStreamEvent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'thinking'; readonly text: string }
  /** A complete tool call (arguments fully streamed). */
  | { readonly type: 'tool_call'; readonly call: ModelToolCall }
  | { readonly type: 'usage'; readonly usage: ModelUsage }
  | { readonly type: 'stop'; readonly reason: ModelStopReason };

/**
 * A model backend. `stream` yields events until the model stops, and throws ProviderError on any
 * failure (including an aborted signal, as kind `aborted`).
 */
export interface ModelProvider {
  readonly id: string;
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
}

export const emptyUsage = (): ModelUsage => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
