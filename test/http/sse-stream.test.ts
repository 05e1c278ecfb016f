// SseStream on its own: events, and a reader that stops reading is cut off, not buffered forever.
import { describe, expect, it } from 'vitest';
import { SseStream } from '../../server/http/sse-stream.js';

describe('SseStream', () => {
  it('writes events and control lines in order', async () => {
    const sse = new SseStream();
    sse.control('retry: 1000');
    sse.event('history', { a: 1 });
    sse.data({ b: 2 });
    sse.done();
    expect(await sse.response.text()).toBe('retry: 1000\n\nevent: history\ndata: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n');
  });

  it('a body nobody reads is ended once 8 MiB are queued, and its close listeners run', () => {
    const sse = new SseStream();
    let closed = 0;
    sse.onClose(() => closed++);
    const chunk = { pad: 'x'.repeat(64 * 1024) };
    for (let i = 0; i < 200 && sse.open; i++) sse.data(chunk);
    expect(sse.open).toBe(false);
    expect(closed).toBe(1);
    // Later writes are dropped quietly.
    sse.data(chunk);
  });
});
