// A connection with no socket: frames go through the real codec and connection state machine, so
// handler tests run fast and without ports (Connect-ES's router transport, for this protocol).
import type { FrameSocket } from '../core/frame-socket.js';

export interface InProcessClientSide {
  /** Sends one text frame to the gateway (delivered asynchronously, like a socket). */
  send(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  onMessage(listener: (text: string) => void): () => void;
  /** Resolves with the close code and reason, whichever side closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(code?: number, reason?: string): void;
}

export interface InProcessPair {
  readonly serverSide: FrameSocket;
  readonly client: InProcessClientSide;
  /** Wire the gateway's receive/close callbacks. */
  bind(receive: (data: string, isBinary: boolean) => void, closed: () => void): void;
}

export function createInProcessPair(options: { remoteAddress?: string; maxPayload: number }): InProcessPair {
  const listeners = new Set<(text: string) => void>();
  let maxPayload = options.maxPayload;
  let open = true;
  let receive: (data: string, isBinary: boolean) => void = () => {};
  let onServerClosed: () => void = () => {};
  let resolveClosed: (value: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const remoteAddress = options.remoteAddress ?? '127.0.0.1';

  const shut = (code: number, reason: string): void => {
    if (!open) return;
    open = false;
    resolveClosed({ code, reason });
    queueMicrotask(onServerClosed);
  };

  const serverSide: FrameSocket = {
    send(text) {
      if (!open) return;
      queueMicrotask(() => {
        for (const l of listeners) l(text);
      });
    },
    close(code, reason) {
      shut(code, reason);
    },
    bufferedAmount: 0,
    setMaxPayload(bytes) {
      maxPayload = bytes;
    },
    markAuthenticated() {},
    remoteAddress,
    isLoopback: remoteAddress === '127.0.0.1' || remoteAddress === '::1',
    browserOrigin: undefined,
  };

  const deliver = (data: string, isBinary: boolean, size: number): void => {
    if (!open) return;
    if (size > maxPayload) {
      shut(1009, 'Max payload size exceeded');
      return;
    }
    queueMicrotask(() => {
      if (open) receive(data, isBinary);
    });
  };

  return {
    serverSide,
    client: {
      send: (text) => deliver(text, false, Buffer.byteLength(text)),
      sendBinary: (bytes) => deliver(Buffer.from(bytes).toString('utf8'), true, bytes.byteLength),
      onMessage(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      closed,
      close: (code = 1000, reason = '') => shut(code, reason),
    },
    bind(r, c) {
      receive = r;
      onServerClosed = c;
    },
  };
}
