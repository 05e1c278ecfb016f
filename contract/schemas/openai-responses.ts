// OpenAI Responses API bodies for POST /v1/responses (docs/http.md "Chat completions and responses").
import { z } from 'zod';
import { Count, MAX_HTTP_TEXT } from './common.js';

const Text = z.string().max(MAX_HTTP_TEXT);
const Name = z.string().max(256);

const ImageSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('url'), url: Text }),
  z.looseObject({ type: z.literal('base64'), media_type: Name, data: Text }),
]);

export const ResponseInputContentPart = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('input_text'), text: Text }),
  z.looseObject({ type: z.literal('output_text'), text: Text }),
  z.looseObject({
    type: z.literal('input_image'),
    source: ImageSource.optional(),
    /** OpenAI's own form: a URL or data URL. */
    image_url: Text.optional(),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
  /** Injected into the system prompt, wrapped as untrusted external content. */
  z.looseObject({
    type: z.literal('input_file'),
    source: ImageSource.optional(),
    filename: Name.optional(),
    file_data: Text.optional(),
    file_url: Text.optional(),
  }),
  z.looseObject({ type: z.literal('refusal'), refusal: Text }),
]);

export const ResponseInputMessage = z.looseObject({
  /** OpenAI SDKs may leave `type` out on messages. */
  type: z.literal('message').optional(),
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([Text, z.array(ResponseInputContentPart).max(1000)]),
  phase: z.enum(['commentary', 'final_answer']).optional(),
});

export const ResponseFunctionCallItem = z.looseObject({
  type: z.literal('function_call'),
  id: Name.optional(),
  call_id: Name.optional(),
  name: Name,
  arguments: Text,
});

/** Continues a run that stopped (`status: "incomplete"`) on a client tool call. */
export const ResponseFunctionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: Name,
  output: z.union([Text, z.array(ResponseInputContentPart).max(1000)]),
});

export const ResponseInputItem = z.union([
  ResponseInputMessage,
  ResponseFunctionCallItem,
  ResponseFunctionCallOutputItem,
  // Accepted and ignored.
  z.looseObject({ type: z.literal('reasoning') }),
  z.looseObject({ type: z.literal('item_reference'), id: Name }),
]);

/** Sampling settings both OpenAI endpoints pass to the model, in OpenAI's ranges. */
export const Temperature = z.number().min(0).max(2).nullable().optional();
export const TopP = z.number().min(0).max(1).nullable().optional();

/** A structured-output schema: the reply must be JSON matching `schema`. */
export const JsonSchemaFormat = z.looseObject({
  name: z.string().min(1).max(64),
  description: z.string().max(16_384).optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullable().optional(),
});

const PlainFormats = [z.looseObject({ type: z.literal('text') }), z.looseObject({ type: z.literal('json_object') })] as const;

/** Responses `text.format`: text, JSON mode, or a JSON schema given flat. */
export const ResponseTextFormat = z.discriminatedUnion('type', [...PlainFormats, JsonSchemaFormat.extend({ type: z.literal('json_schema') })]);

/** Chat Completions `response_format`: the same, with the JSON schema nested under `json_schema`. */
export const ChatResponseFormat = z.discriminatedUnion('type', [...PlainFormats, z.looseObject({ type: z.literal('json_schema'), json_schema: JsonSchemaFormat })]);

/** A client-side function as both OpenAI endpoints describe it (Chat Completions nests it under `function`). */
export const FunctionDefinition = z.looseObject({
  name: z.string().min(1).max(128),
  description: z.string().max(16_384).optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

export const ResponseFunctionTool = FunctionDefinition.extend({ type: z.literal('function') });

export const ResponseToolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), name: Name }),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: Name }) }),
]);

export const ResponseCreateRequest = z.looseObject({
  /** Same agent mapping as chat completions. */
  model: Name.min(1),
  input: z.union([Text, z.array(ResponseInputItem).max(10_000)]),
  instructions: Text.nullable().optional(),
  tools: z.array(ResponseFunctionTool).max(128).optional(),
  tool_choice: ResponseToolChoice.optional(),
  stream: z.boolean().nullable().optional(),
  /** Reuses the earlier response's session when caller, agent and session scope match. */
  previous_response_id: Name.nullable().optional(),
  max_output_tokens: z.number().int().min(1).nullable().optional(),
  max_tool_calls: z.number().int().min(1).nullable().optional(),
  user: Name.optional(),
  /** `effort` sets the turn's thinking level for reasoning models, as `reasoning_effort` does for chat completions. */
  reasoning: z.looseObject({ effort: z.string().max(32).nullable().optional() }).nullable().optional(),
  /** Passed to the model for every step of the run. */
  temperature: Temperature,
  top_p: TopP,
  /** `format` constrains the reply: JSON mode or a JSON schema (structured outputs). */
  text: z.looseObject({ format: ResponseTextFormat.optional() }).nullable().optional(),
});
export type ResponseCreateRequest = z.infer<typeof ResponseCreateRequest>;

export const ResponseOutputText = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()),
});

const ItemStatus = z.enum(['in_progress', 'completed', 'incomplete']);

export const ResponseOutputItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    /** `msg_<uuid>` */
    id: z.string(),
    role: z.literal('assistant'),
    content: z.array(ResponseOutputText),
    phase: z.enum(['commentary', 'final_answer']).optional(),
    status: ItemStatus.optional(),
  }),
  z.object({
    type: z.literal('function_call'),
    /** `call_<uuid>` */
    id: z.string(),
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
    status: ItemStatus.optional(),
  }),
]);
export type ResponseOutputItem = z.infer<typeof ResponseOutputItem>;

export const ResponseResource = z.object({
  /** `resp_<uuid>` */
  id: z.string(),
  object: z.literal('response'),
  /** Unix seconds. */
  created_at: Count,
  /** `incomplete` when the agent called a client tool: the output ends with a function_call item. */
  status: z.enum(['in_progress', 'completed', 'failed', 'cancelled', 'incomplete']),
  model: z.string(),
  output: z.array(ResponseOutputItem),
  usage: z.object({ input_tokens: Count, output_tokens: Count, total_tokens: Count }),
  error: z.object({ code: z.string(), message: z.string() }).nullable().optional(),
  previous_response_id: z.string().nullable().optional(),
});
export type ResponseResource = z.infer<typeof ResponseResource>;

const Seq = { sequence_number: Count.optional() };
const PartRef = { item_id: z.string(), output_index: Count, content_index: Count };

/** The `data:` of one SSE event; the `event:` line repeats `type`. */
export const ResponseStreamEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['response.created', 'response.in_progress', 'response.completed', 'response.failed']),
    response: ResponseResource,
    ...Seq,
  }),
  z.object({
    type: z.enum(['response.output_item.added', 'response.output_item.done']),
    output_index: Count,
    item: ResponseOutputItem,
    ...Seq,
  }),
  z.object({
    type: z.enum(['response.content_part.added', 'response.content_part.done']),
    ...PartRef,
    part: ResponseOutputText,
    ...Seq,
  }),
  z.object({ type: z.literal('response.output_text.delta'), ...PartRef, delta: z.string(), ...Seq }),
  z.object({ type: z.literal('response.output_text.done'), ...PartRef, text: z.string(), ...Seq }),
]);
export type ResponseStreamEvent = z.infer<typeof ResponseStreamEvent>;
