// A bare WebSocket peer for protocol tests: every frame it receives is queued for `next()`.
import WebSocket from 'ws';

export interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  payload?: any;
  error?: { code: string; message: string; details?: any; retryable?: boolean; retryAfterMs?: number };
  event?: string;
  seq?: number;
  [key: string]: unknown;
}

export interface RawSocket {
  readonly ws: WebSocket;
  send(frame: unknown): void;
  sendText(text: string): void;
  next(timeoutMs?: number): Promise<Frame>;
  /** Next frame matching the predicate; others stay queued. */
  waitFor(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
  frames: Frame[];
}

export async function openRaw(url: string, options: WebSocket.ClientOptions = {}): Promise<RawSocket> {
  const ws = new WebSocket(url, { maxPayload: 100 * 1024 * 1024, ...options });
  const frames: Frame[] = [];
  const waiters: { predicate: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    const index = waiters.findIndex((w) => w.predicate(frame));
    if (index >= 0) waiters.splice(index, 1)[0]!.resolve(frame);
    else frames.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  const waitFor = (predicate: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> => {
    const index = frames.findIndex(predicate);
    if (index >= 0) return Promise.resolve(frames.splice(index, 1)[0]!);
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({
        predicate,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  };
  return {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendText: (text) => ws.send(text),
    next: (timeoutMs) => waitFor(() => true, timeoutMs),
    waitFor,
    closed,
    close: () => ws.close(),
  };
}

export function connectParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    minProtocol: 3,
    maxProtocol: 4,
    client: { id: 'test', version: '1.0.0', platform: 'linux', mode: 'test' },
    role: 'operator',
    scopes: ['operator.admin'],
    caps: [],
    ...overrides,
  };
}

/** Opens a socket and completes the handshake; returns the socket and hello-ok payload. */
export async function openReady(
  url: string,
  token: string | undefined,
  overrides: Record<string, unknown> = {},
): Promise<{ socket: RawSocket; hello: any }> {
  const socket = await openRaw(url);
  const challenge = await socket.next();
  if (challenge.event !== 'connect.challenge') throw new Error(`expected challenge, got ${JSON.stringify(challenge)}`);
  socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ auth: { token }, ...overrides }) });
  const res = await socket.waitFor((f) => f.type === 'res' && f.id === 'c1');
  if (!res.ok) throw new Error(`connect failed: ${JSON.stringify(res.error)}`);
  return { socket, hello: res.payload };
}

let counter = 0;
export async function call(socket: RawSocket, method: string, params?: unknown, timeoutMs = 5000): Promise<Frame> {
  const id = `r${++counter}`;
  socket.send({ type: 'req', id, method, ...(params === undefined ? {} : { params }) });
  return socket.waitFor((f) => f.type === 'res' && f.id === id, timeoutMs);
}

/** `call` that must succeed: the payload, or an error naming the method and the gateway's error. */
export async function callOk(socket: RawSocket, method: string, params?: unknown): Promise<Frame['payload']> {
  const res = await call(socket, method, params);
  if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`);
  return res.payload;
}
