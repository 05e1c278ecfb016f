import { describe, expect, it } from 'vitest';
import { responseInput } from '../../server/http/response-input.js';

describe('responseInput', () => {
  it('a string input is the message; instructions are kept', () => {
    expect(responseInput({ input: 'Hello', instructions: 'Be brief.' })).toEqual({
      ok: true,
      input: { instructions: 'Be brief.', priorTurns: [], message: 'Hello', images: [], toolOutputs: [] },
    });
  });

  it('items: messages, function calls and outputs, images, inline text files', () => {
    const file = Buffer.from('a,b\n1,2').toString('base64');
    const result = responseInput({
      input: [
        { role: 'developer', content: 'Use metric units.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'And this table?' },
            { type: 'input_image', image_url: 'https://example.test/a.png' },
            { type: 'input_file', filename: 't.csv', source: { type: 'base64', media_type: 'text/csv', data: file } },
          ],
        },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.message).toBe('And this table?');
    expect(result.input.images).toEqual([{ url: 'https://example.test/a.png' }]);
    expect(result.input.priorTurns).toEqual([
      { role: 'user', text: 'Weather?' },
      { role: 'assistant', text: '[called weather({})]' },
    ]);
    expect(result.input.toolOutputs).toEqual([{ callId: 'c1', output: 'sunny' }]);
    expect(result.input.instructions).toContain('Use metric units.');
    expect(result.input.instructions).toContain('<untrusted_external_file name="t.csv" type="text/csv">\na,b\n1,2\n</untrusted_external_file>');
  });

  it('only tool outputs is a valid continuation', () => {
    const result = responseInput({ input: [{ type: 'function_call_output', call_id: 'c9', output: '42' }] });
    expect(result).toMatchObject({ ok: true, input: { message: '', toolOutputs: [{ callId: 'c9', output: '42' }] } });
  });

  it('refuses an empty input, a fetched file and a binary file type, saying what to send', () => {
    expect(responseInput({ input: '  ' })).toMatchObject({ ok: false, message: expect.stringContaining('`input`') });
    expect(responseInput({ input: [{ role: 'assistant', content: 'hi' }] }).ok).toBe(false);
    const url = responseInput({ input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x.test/f.pdf' }] }] });
    expect(url).toMatchObject({ ok: false, message: expect.stringContaining('base64') });
    const pdf = responseInput({
      input: [{ role: 'user', content: [{ type: 'input_file', source: { type: 'base64', media_type: 'application/pdf', data: 'AA==' } }] }],
    });
    expect(pdf).toMatchObject({ ok: false, message: expect.stringContaining('application/pdf is not supported') });
  });
});
