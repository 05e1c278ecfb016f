import { describe, expect, it } from 'vitest';
import { chatCompletionInput, MISSING_USER_MESSAGE } from '../../server/http/chat-completion-input.js';

describe('chatCompletionInput', () => {
  it('system and developer messages become instructions; earlier turns are carried', () => {
    const result = chatCompletionInput([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: [{ type: 'text', text: 'How are you?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
    ]);
    expect(result).toEqual({
      ok: true,
      input: {
        instructions: 'Be brief.\n\nAnswer in French.',
        priorTurns: [
          { role: 'user', text: 'Hi' },
          { role: 'assistant', text: 'Hello!' },
        ],
        message: 'How are you?',
        images: [{ url: 'data:image/png;base64,AAAA' }],
      },
    });
  });

  it('tool turns are flattened to text', () => {
    const result = chatCompletionInput([
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      { role: 'user', content: 'thanks' },
    ]);
    expect(result.ok && result.input.priorTurns).toEqual([
      { role: 'user', text: 'weather?' },
      { role: 'assistant', text: '[called weather({"city":"Oslo"})]' },
      { role: 'user', text: '[c1 result]\nsunny' },
    ]);
  });

  it('no user text or image: upstream message', () => {
    expect(chatCompletionInput([{ role: 'system', content: 'x' }, { role: 'user', content: '  ' }])).toEqual({ ok: false, message: MISSING_USER_MESSAGE });
  });
});
