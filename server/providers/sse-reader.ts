// Server-sent events from a text stream: yields each event's `data` (multi-line data joined with
// \n), ignoring comments, `event:`/`id:` fields and keep-alives. Bounded: one event may not exceed maxEventBytes.
export class SseTooLargeError extends Error {}

export async function* readSseData(body: AsyncIterable<string>, maxEventBytes = 8 * 1024 * 1024): AsyncGenerator<string> {
  let buffer = '';
  let data: string[] = [];
  let dataBytes = 0;
  for await (const text of body) {
    buffer += text;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf('\n', start);
      if (nl < 0) break;
      let line = buffer.slice(start, nl);
      start = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (data.length > 0) {
          yield data.length === 1 ? data[0]! : data.join('\n');
          data = [];
          dataBytes = 0;
        }
        continue;
      }
      if (line.startsWith('data:')) {
        const chunk = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
        dataBytes += chunk.length;
        if (dataBytes > maxEventBytes) throw new SseTooLargeError(`an SSE event exceeded ${maxEventBytes} bytes`);
        data.push(chunk);
      }
    }
    buffer = buffer.slice(start);
    if (buffer.length > maxEventBytes) throw new SseTooLargeError(`an SSE line exceeded ${maxEventBytes} bytes`);
  }
  if (buffer.startsWith('data:')) data.push(buffer.charCodeAt(5) === 32 ? buffer.slice(6) : buffer.slice(5));
  if (data.length > 0) yield data.join('\n');
}
