import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { ResponseStreamEvent as SdkEvent, Response as SdkResponse } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { ResponseResource, ResponseStreamEvent } from '../../contract/schemas/openai-http.js';
import { ResponseBuilder, responseUsage } from '../../server/http/response-builder.js';

/** Replays events through the official SDK's accumulator, as `client.responses.stream()` does. */
function replay(events: readonly unknown[]): SdkResponse {
  let snapshot: SdkResponse | undefined;
  for (const event of events) snapshot = accumulateResponse(event as SdkEvent, snapshot);
  return snapshot!;
}

describe('ResponseBuilder', () => {
  it('text answer: the event sequence of reference §7.3, valid per contract, accumulating to the JSON resource', () => {
    const b = new ResponseBuilder('openclaw', 'resp_prev');
    const events = [...b.start(), ...b.text('Hel'), ...b.text(''), ...b.text('lo'), ...b.finish('completed', responseUsage({ input: 3, output: 2 }))];
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    for (const e of events) ResponseStreamEvent.parse(e);
    const resource = ResponseResource.parse(b.resource());
    expect(resource).toMatchObject({
      status: 'completed',
      previous_response_id: 'resp_prev',
      usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 },
      output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello' }] }],
    });
    expect(resource.id).toMatch(/^resp_/);
    const sdk = replay(events);
    expect(sdk.output_text).toBe('Hello');
    expect(sdk.output).toEqual(resource.output);
  });

  it('client tool call: text item closed, function_call item, status incomplete', () => {
    const b = new ResponseBuilder('openclaw/ops');
    const events = [...b.start(), ...b.text('Checking.'), ...b.functionCall({ name: 'weather', arguments: '{"city":"Oslo"}', callId: 'tc_1' }), ...b.finish('incomplete', responseUsage(undefined))];
    for (const e of events) ResponseStreamEvent.parse(e);
    const resource = b.resource();
    expect(resource.status).toBe('incomplete');
    expect(resource.output).toMatchObject([
      { type: 'message', content: [{ text: 'Checking.' }] },
      { type: 'function_call', call_id: 'tc_1', name: 'weather', arguments: '{"city":"Oslo"}' },
    ]);
    expect(replay(events).output).toEqual(resource.output);
  });

  it('an answer with no text still carries an empty message; failure carries the error', () => {
    const empty = new ResponseBuilder('openclaw');
    replay([...empty.start(), ...empty.finish('completed', responseUsage(undefined))]);
    expect(empty.resource().output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: '' }] }]);

    const failed = new ResponseBuilder('openclaw');
    const events = [...failed.start(), ...failed.text('partial'), ...failed.fail('api_error', 'upstream down')];
    expect(events.at(-1)!.type).toBe('response.failed');
    expect(failed.resource()).toMatchObject({ status: 'failed', error: { code: 'api_error', message: 'upstream down' } });
    for (const e of events) ResponseStreamEvent.parse(e);
  });
});
