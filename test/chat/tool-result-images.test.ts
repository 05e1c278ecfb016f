// Images a tool returns reach a model that reads images as one user message after the run of tool
// results (Chat Completions takes only text in tool messages); other models get the text only.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LoopState, runModelLoop } from '../../server/chat/run-loop.js';
import type { ResolvedModel } from '../../server/models/model-catalog.js';
import type { ModelMessage, ModelProvider, ModelRequest, ModelStreamEvent } from '../../server/providers/model-types.js';
import { wireMessages } from '../../server/providers/openai-wire.js';
import { ToolRegistry } from '../../server/tools/tool-registry.js';
import { ToolContent, toolResultImages, toolResultMeta, toolResultText } from '../../server/tools/tool-result.js';

describe('tool results with images', () => {
  it('puts the images after all tool messages of the step', () => {
    const wire = wireMessages([
      { role: 'user', content: 'look' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'browser', arguments: '{}' }, { id: 'b', name: 'browser', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'a', name: 'browser', content: 'shot saved to /x.png', images: ['data:image/png;base64,AAAA'] },
      { role: 'tool', toolCallId: 'b', name: 'browser', content: 'text only' },
      { role: 'assistant', content: 'done' },
    ]);
    expect(wire.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user', 'assistant']);
    expect(wire[4]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Images returned by the tool calls above:' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    });
    expect(wire[2]).toEqual({ role: 'tool', tool_call_id: 'a', content: 'shot saved to /x.png' });
  });

  it('reads text, images and meta out of a ToolContent; JSON for anything else', () => {
    const result = new ToolContent(
      [
        { type: 'text', text: 'one' },
        { type: 'image', data: 'QUJD', mimeType: 'image/png' },
        { type: 'text', text: 'two' },
      ],
      { ok: true },
      { action: 'screenshot' },
    );
    expect(toolResultText(result)).toBe('one\ntwo');
    expect(toolResultImages(result)).toEqual(['data:image/png;base64,QUJD']);
    expect(toolResultMeta(result)).toEqual({ action: 'screenshot' });
    expect(JSON.parse(JSON.stringify(result))).toEqual({ content: result.content, details: { ok: true } });
    expect(toolResultText({ a: 1 })).toBe('{"a":1}');
    expect(toolResultImages({ a: 1 })).toEqual([]);
  });
});

/** A model that calls `shoot` once, then answers; it keeps the messages of each request. */
class ScriptedModel implements ModelProvider {
  readonly id = 'scripted';
  readonly seen: (readonly ModelMessage[])[] = [];
  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    this.seen.push(structuredClone(request.messages));
    if (this.seen.length === 1) {
      yield { type: 'tool_call', call: { id: 'c1', name: 'shoot', arguments: '{}' } };
      yield { type: 'stop', reason: 'tool_calls' };
    } else {
      yield { type: 'text', text: 'seen' };
      yield { type: 'stop', reason: 'stop' };
    }
  }
}

async function loopWith(imageInput: boolean): Promise<{ seen: (readonly ModelMessage[])[]; recorded: unknown[] }> {
  const provider = new ScriptedModel();
  const registry = new ToolRegistry();
  registry.register({
    name: 'shoot',
    description: 'takes a picture',
    parameters: z.strictObject({}),
    run: () => new ToolContent([{ type: 'text', text: 'saved to /tmp/x.png' }, { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' }], { path: '/tmp/x.png' }),
  });
  const model: ResolvedModel = { ref: 's/m', providerId: 's', modelId: 'm', name: 'm', provider, price: undefined, contextWindow: undefined, maxTokens: undefined, imageInput };
  const recorded: unknown[] = [];
  const noop = (): void => {};
  await runModelLoop(
    {
      model,
      messages: [{ role: 'user', content: 'take a picture' }],
      serverTools: registry.specsFor({ agentId: 'main', caller: { kind: 'agent' } }),
      clientTools: [],
      toolChoice: undefined,
      maxSteps: 4,
      maxTokens: undefined,
      thinking: undefined,
      sampling: undefined,
      signal: new AbortController().signal,
      registry,
      subject: { agentId: 'main', sessionKey: 'agent:main:main', caller: { kind: 'agent' }, runId: 'r1' },
      onText: noop,
      onThinking: noop,
      onToolStart: noop,
      onToolResult: noop,
      onToolAsk: noop,
      onToolUpdate: noop,
      record: (message) => recorded.push(message),
    },
    new LoopState(),
  );
  return { seen: provider.seen, recorded };
}

describe('tool images in the agent loop', () => {
  it('reach a model that reads images; the transcript keeps the text only', async () => {
    const { seen, recorded } = await loopWith(true);
    expect(seen[1]!.at(-1)).toEqual({ role: 'tool', toolCallId: 'c1', name: 'shoot', content: 'saved to /tmp/x.png', images: ['data:image/png;base64,iVBORw0KGgo='] });
    expect(recorded).toContainEqual(expect.objectContaining({ role: 'toolResult', content: [{ type: 'text', text: 'saved to /tmp/x.png' }] }));
  });

  it('are left out for a text-only model', async () => {
    const { seen } = await loopWith(false);
    expect(seen[1]!.at(-1)).toEqual({ role: 'tool', toolCallId: 'c1', name: 'shoot', content: 'saved to /tmp/x.png' });
  });
});
