import { describe, expect, it } from 'vitest';
import { chatCompletionInput, MISSING_USER_MESSAGE } from '../../server/http/chat-completion-input.js';

describe('chatCompletionInput', () => {
  it('system and developer messages become instructions; earlier turns are carried; images make parts', () => {
    const result = chatCompletionInput([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: [{ type: 'text', text: 'How are you?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
    ]);
    expect(result).toEqual({
      ok: true,
      turn: {
        instructions: 'Be brief.\n\nAnswer in French.',
        priorMessages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
        ],
        message: [
          { type: 'text', text: 'How are you?' },
          { type: 'image', url: 'data:image/png;base64,AAAA' },
        ],
      },
    });
  });

  it('tool calls and results keep their structure; a conversation ending in tool results continues from them', () => {
    const result = chatCompletionInput([
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
    ]);
    expect(result).toEqual({
      ok: true,
      turn: {
        instructions: undefined,
        priorMessages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' }] },
          { role: 'tool', toolCallId: 'c1', content: 'sunny' },
        ],
        message: '',
      },
    });
  });

  it('trailing assistant turns are dropped; the last user message is answered', () => {
    const result = chatCompletionInput([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'stale' },
    ]);
    expect(result).toMatchObject({ ok: true, turn: { priorMessages: [], message: 'one' } });
  });

  it('no user text or image: upstream message', () => {
    expect(chatCompletionInput([{ role: 'system', content: 'x' }, { role: 'user', content: '  ' }])).toEqual({ ok: false, message: MISSING_USER_MESSAGE });
  });
});
