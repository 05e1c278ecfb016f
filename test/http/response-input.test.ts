import { describe, expect, it } from 'vitest';
import type { ResponseCreateRequest } from '../../contract/schemas/openai-http.js';
import { inputFileParts, loadInputFiles } from '../../server/http/input-files.js';
import { DEFAULT_OPENAI_ENDPOINT_SETTINGS } from '../../server/http/openai-endpoint-settings.js';
import { responseInput } from '../../server/http/response-input.js';

describe('responseInput', () => {
  it('a string input is one user message; instructions are kept', () => {
    expect(responseInput({ input: 'Hello', instructions: 'Be brief.' })).toEqual({
      ok: true,
      instructions: ['Be brief.'],
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });

  it('items in order: messages, function calls (joined to the assistant text before them), outputs, images, inline text files', async () => {
    const file = Buffer.from('a,b\n1,2').toString('base64');
    const body: Pick<ResponseCreateRequest, 'input'> = {
      input: [
        { role: 'developer', content: 'Use metric units.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        { role: 'assistant', content: 'Checking.' },
        { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{}' },
        { type: 'function_call', call_id: 'c2', name: 'time', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'noon' }] },
        { type: 'reasoning' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'And this table?' },
            { type: 'input_image', image_url: 'https://example.test/a.png' },
            { type: 'input_file', filename: 't.csv', source: { type: 'base64', media_type: 'text/csv', data: file } },
          ],
        },
      ],
    };
    const loaded = await loadInputFiles(inputFileParts(body.input), DEFAULT_OPENAI_ENDPOINT_SETTINGS.files, new AbortController().signal);
    if (!loaded.ok) throw new Error(loaded.message);
    const result = responseInput(body, loaded.files);
    expect(result).toEqual({
      ok: true,
      instructions: ['Use metric units.', '<untrusted_external_file name="t.csv" type="text/csv">\na,b\n1,2\n</untrusted_external_file>'],
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [
            { id: 'c1', name: 'weather', arguments: '{}' },
            { id: 'c2', name: 'time', arguments: '{}' },
          ],
        },
        { role: 'tool', toolCallId: 'c1', content: 'sunny' },
        { role: 'tool', toolCallId: 'c2', content: 'noon' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'And this table?' },
            { type: 'image', url: 'https://example.test/a.png' },
          ],
        },
      ],
    });
  });

  it('a file part that was not loaded is refused, not dropped', () => {
    const result = responseInput({ input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x.test/f.txt' }] }] });
    expect(result).toEqual({ ok: false, message: 'input_file: the file was not loaded.' });
  });
});
