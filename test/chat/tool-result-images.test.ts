// Images a tool returns reach a model that reads images as one user message after the run of tool
// results (Chat Completions takes only text in tool messages); other models get the text only.
import { describe, expect, it } from 'vitest';
import { wireMessages } from '../../server/providers/openai-wire.js';
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
