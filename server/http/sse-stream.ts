// A server-sent-events response body. Writes after the client went away are dropped, and the
// client going away (stream cancelled by the server, or the request signal) fires `onClose` once.
const encoder = new TextEncoder();

/** Bytes a client may leave unread before its stream is ended (a reader that stopped reading). */
const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Proxies such as nginx must not hold events back.
  'x-accel-buffering': 'no',
} as const;

export class SseStream {
  readonly response: Response;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private finished = false;
  private disconnected = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(requestSignal?: AbortSignal) {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => this.markClosed(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
    );
    this.response = new Response(body, { status: 200, headers: SSE_HEADERS });
    if (requestSignal) {
      if (requestSignal.aborted) this.markClosed();
      else requestSignal.addEventListener('abort', () => this.markClosed(), { once: true });
    }
  }

  /** False once the stream ended or the client disconnected. */
  get open(): boolean {
    return !this.finished;
  }

  /** Called once when the client disconnects before `end()`. */
  onClose(listener: () => void): void {
    if (this.disconnected) listener();
    else if (!this.finished) this.closeListeners.push(listener);
  }

  /** `data: <json>` (Chat Completions style: no event names). */
  data(payload: unknown): void {
    this.write(`data: ${JSON.stringify(payload)}\n\n`);
  }

  /** `event: <name>` + `data: <json>` (Responses style). */
  event(name: string, payload: unknown): void {
    this.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  /** A line that is no event (`retry: <ms>`, or a `: comment` keepalive), then a blank line. */
  control(line: string): void {
    this.write(`${line}\n\n`);
  }

  /** Writes `data: [DONE]` and ends the body. */
  done(): void {
    this.write('data: [DONE]\n\n');
    this.end();
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.closeListeners.length = 0;
    try {
      this.controller.close();
    } catch {
      // Already cancelled by the reader.
    }
  }

  private write(text: string): void {
    if (this.finished) return;
    try {
      this.controller.enqueue(encoder.encode(text));
    } catch {
      this.markClosed();
      return;
    }
    // desiredSize goes negative by what is queued beyond the high-water mark.
    if ((this.controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) {
      this.markClosed();
      try {
        this.controller.error(new Error('the client stopped reading'));
      } catch {
        // Already closed.
      }
    }
  }

  private markClosed(): void {
    if (this.finished) return;
    this.finished = true;
    this.disconnected = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
