// The SSE reader under the OpenAI-compatible provider: line ends of every kind, events split across
// chunks anywhere, and a byte (not character) bound on one event.
import { describe, expect, it } from 'vitest';
import { readSseData, SseTooLargeError } from '../../server/providers/sse-reader.js';

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function collect(source: AsyncIterable<string>, maxEventBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(source, maxEventBytes)) out.push(data);
  return out;
}

describe('readSseData', () => {
  it('reads LF, CRLF and CR-only line ends alike, with no \\r left in the data', async () => {
    expect(await collect(chunks('data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('an event whose CRLF is split between two chunks keeps no trailing \\r', async () => {
    expect(await collect(chunks('data: one\r', '\n\r', '\ndata: two\r', '\n\r\n'))).toEqual(['one', 'two']);
  });

  it('the last event of a stream that ends without a blank line (or mid-CRLF) is delivered without its \\r', async () => {
    expect(await collect(chunks('data: first\n\ndata: [DONE]\r'))).toEqual(['first', '[DONE]']);
    expect(await collect(chunks('data: x\ndata: y'))).toEqual(['x\ny']);
  });

  it('joins multi-line data, skips comments, event and id fields', async () => {
    expect(await collect(chunks(': keep-alive\n\nevent: message\nid: 7\ndata: {"a":\ndata: 1}\n\n'))).toEqual(['{"a":\n1}']);
  });

  it('bounds an event by its UTF-8 bytes, not its characters', async () => {
    // 600 characters of 'é' are 1200 bytes: over a 1000-byte bound although under 1000 characters.
    const wide = 'é'.repeat(600);
    await expect(collect(chunks(`data: ${wide}\n\n`), 1000)).rejects.toBeInstanceOf(SseTooLargeError);
    expect(await collect(chunks(`data: ${'e'.repeat(600)}\n\n`), 1000)).toEqual(['e'.repeat(600)]);
  });

  it('refuses a line that never ends instead of buffering it without bound', async () => {
    async function* endless(): AsyncGenerator<string> {
      for (let i = 0; i < 100; i++) yield `data: ${'x'.repeat(1000)}`;
    }
    await expect(collect(endless(), 10_000)).rejects.toBeInstanceOf(SseTooLargeError);
  });
});
