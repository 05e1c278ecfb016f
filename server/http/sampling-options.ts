// The sampling settings of an OpenAI-compatible request, in the agent run's terms, and the reply
// format (JSON mode, structured outputs). Nulls (which OpenAI SDKs send for "unset") and absent
// fields leave the model's defaults alone.
import type { z } from 'zod';
import type { ChatResponseFormat, JsonSchemaFormat, ResponseTextFormat } from '../../contract/schemas/openai-http.js';
import type { Mutable } from '../core/mutable.js';
import type { ResponseFormat, SamplingOptions } from '../providers/model-types.js';

interface SamplingFields {
  readonly temperature?: number | null | undefined;
  readonly top_p?: number | null | undefined;
  readonly seed?: number | null | undefined;
  readonly stop?: string | readonly string[] | null | undefined;
  readonly presence_penalty?: number | null | undefined;
  readonly frequency_penalty?: number | null | undefined;
}

function jsonSchemaFormat(spec: z.output<typeof JsonSchemaFormat>): ResponseFormat {
  const format: Mutable<Extract<ResponseFormat, { type: 'json_schema' }>> = { type: 'json_schema', name: spec.name };
  if (spec.schema) format.schema = spec.schema;
  if (typeof spec.strict === 'boolean') format.strict = spec.strict;
  if (spec.description) format.description = spec.description;
  return format;
}

/** Chat Completions `response_format` (the schema nested under `json_schema`). */
export function chatResponseFormat(format: z.output<typeof ChatResponseFormat> | null | undefined): ResponseFormat | undefined {
  if (!format) return undefined;
  return format.type === 'json_schema' ? jsonSchemaFormat(format.json_schema) : { type: format.type };
}

/** Responses `text.format` (the schema given flat). */
export function responsesTextFormat(format: z.output<typeof ResponseTextFormat> | undefined): ResponseFormat | undefined {
  if (!format) return undefined;
  return format.type === 'json_schema' ? jsonSchemaFormat(format) : { type: format.type };
}

/** The settings the request gives, or undefined when it gives none. */
export function samplingOf(body: SamplingFields, responseFormat?: ResponseFormat): SamplingOptions | undefined {
  const out: Mutable<SamplingOptions> = {};
  if (responseFormat) out.responseFormat = responseFormat;
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.topP = body.top_p;
  if (typeof body.seed === 'number') out.seed = body.seed;
  if (typeof body.stop === 'string') out.stop = [body.stop];
  else if (Array.isArray(body.stop) && body.stop.length > 0) out.stop = [...body.stop];
  if (typeof body.presence_penalty === 'number') out.presencePenalty = body.presence_penalty;
  if (typeof body.frequency_penalty === 'number') out.frequencyPenalty = body.frequency_penalty;
  return Object.keys(out).length > 0 ? out : undefined;
}
