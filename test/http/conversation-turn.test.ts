import { describe, expect, it } from 'vitest';
import { splitConversation, userContent } from '../../server/http/conversation-turn.js';

describe('splitConversation', () => {
  it('the last user message is the turn; instructions are trimmed and joined', () => {
    expect(splitConversation([' a ', '', 'b'], [{ role: 'user', content: 'one' }, { role: 'assistant', content: 'two' }, { role: 'user', content: 'three' }], 'missing')).toEqual({
      ok: true,
      turn: { instructions: 'a\n\nb', priorMessages: [{ role: 'user', content: 'one' }, { role: 'assistant', content: 'two' }], message: 'three' },
    });
  });

  it('tool results at the end: continue with an empty message', () => {
    const messages = [
      { role: 'user' as const, content: 'go' },
      { role: 'assistant' as const, content: '', toolCalls: [{ id: 'c', name: 't', arguments: '{}' }] },
      { role: 'tool' as const, toolCallId: 'c', content: '' },
    ];
    expect(splitConversation([], messages, 'missing')).toEqual({ ok: true, turn: { instructions: undefined, priorMessages: messages, message: '' } });
  });

  it('no user message with content: the given error', () => {
    expect(splitConversation([], [{ role: 'user', content: ' ' }, { role: 'assistant', content: 'x' }], 'missing')).toEqual({ ok: false, message: 'missing' });
    expect(splitConversation([], [], 'missing').ok).toBe(false);
  });

  it('userContent: text alone stays a string; images make parts', () => {
    expect(userContent('hi', [])).toBe('hi');
    expect(userContent('', ['u'])).toEqual([{ type: 'image', url: 'u' }]);
  });
});
