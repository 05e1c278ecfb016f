// The sampling settings of an OpenAI-compatible request, in the agent run's terms. Nulls (which
// OpenAI SDKs send for "unset") and absent fields leave the model's defaults alone.
import type { Mutable } from '../core/mutable.js';
import type { SamplingOptions } from '../providers/model-types.js';

interface SamplingFields {
  readonly temperature?: number | null | undefined;
  readonly top_p?: number | null | undefined;
  readonly seed?: number | null | undefined;
  readonly stop?: string | readonly string[] | null | undefined;
  readonly presence_penalty?: number | null | undefined;
  readonly frequency_penalty?: number | null | undefined;
}

/** The settings the request gives, or undefined when it gives none. */
export function samplingOf(body: SamplingFields): SamplingOptions | undefined {
  const out: Mutable<SamplingOptions> = {};
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.topP = body.top_p;
  if (typeof body.seed === 'number') out.seed = body.seed;
  if (typeof body.stop === 'string') out.stop = [body.stop];
  else if (Array.isArray(body.stop) && body.stop.length > 0) out.stop = [...body.stop];
  if (typeof body.presence_penalty === 'number') out.presencePenalty = body.presence_penalty;
  if (typeof body.frequency_penalty === 'number') out.frequencyPenalty = body.frequency_penalty;
  return Object.keys(out).length > 0 ? out : undefined;
}
