// Server-sent events from a text stream, parsed by eventsource-parser: yields each event's `data`
// (multi-line data joined with \n; CRLF, LF and CR line ends alike), ignoring comments, `event:` /
// `id:` fields and keep-alives. Bounded: an event's data may not exceed maxEventBytes UTF-8 bytes.
import { createParser } from 'eventsource-parser';

export class SseTooLargeError extends Error {}

/** Room for field names and line ends around an event's data in the parser's own (character) bound. */
const LINE_OVERHEAD_CHARS = 4096;

export async function* readSseData(body: AsyncIterable<string>, maxEventBytes = 8 * 1024 * 1024): AsyncGenerator<string> {
  const ready: string[] = [];
  let tooLarge = false;
  const parser = createParser({
    onEvent: (event) => {
      // UTF-8 bytes are never fewer than UTF-16 code units, so the parser's bound below never cuts an event this admits.
      if (Buffer.byteLength(event.data, 'utf8') > maxEventBytes) tooLarge = true;
      else ready.push(event.data);
    },
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') tooLarge = true;
    },
    maxBufferSize: maxEventBytes + LINE_OVERHEAD_CHARS,
  });
  const drain = function* (): Generator<string> {
    if (tooLarge) throw new SseTooLargeError(`an SSE event exceeded ${maxEventBytes} bytes`);
    for (let i = 0; i < ready.length; i++) yield ready[i]!;
    ready.length = 0;
  };
  for await (const text of body) {
    parser.feed(text);
    yield* drain();
  }
  // A stream that ends without the blank line after its last event still delivers that event.
  parser.feed('\n\n');
  yield* drain();
}
