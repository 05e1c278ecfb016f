// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks: streams SSE chat
// completion chunks, emits tool calls, and injects failures (HTTP errors, malformed or truncated
// streams, dropped connections, silence) as scripted per request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeToolCall {
  readonly name: string;
  readonly arguments: unknown;
  readonly id?: string;
}

export interface FakeReply {
  /** Streamed in word-sized chunks unless `chunks` is given. */
  readonly text?: string;
  readonly chunks?: readonly string[];
  readonly toolCalls?: readonly FakeToolCall[];
  /** Streamed first as `reasoning_content` deltas (as vLLM / DeepSeek-style servers do). */
  readonly reasoning?: string;
  readonly usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  readonly finishReason?: string;
  readonly chunkDelayMs?: number;
  /** Nothing is sent until this settles (tests that prove two requests are open at once); a rejection answers 503. */
  readonly holdUntil?: Promise<unknown>;
  /** Answer a plain JSON chat.completion instead of SSE. */
  readonly json?: boolean;
  // Failures
  readonly status?: number;
  readonly errorBody?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Send this many text chunks, then go silent (the connection stays open). */
  readonly hangAfterChunks?: number;
  /** Send this many text chunks, then destroy the socket. */
  readonly dropAfterChunks?: number;
  /** `bad-json`: a chunk that is not JSON; `truncated`: end without finish_reason or [DONE]; `error-event`: an error object mid-stream. */
  readonly malformed?: 'bad-json' | 'truncated' | 'error-event';
}

export interface CapturedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: {
    model?: string;
    messages?: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
    tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
    stream?: boolean;
    [key: string]: unknown;
  };
  /** Set when the client closed the connection before the reply ended. */
  clientClosed: boolean;
  /** The client's port: the same port for two requests means a reused keep-alive connection. */
  readonly remotePort: number | undefined;
  readonly receivedAt: number;
}

export type FakeScript = FakeReply | ((request: CapturedRequest) => FakeReply);

const words = (text: string): string[] => text.match(/\S+\s*/g) ?? [text];
const lastUserText = (request: CapturedRequest): string => {
  const messages = request.body.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
  }
  return '';
};

export interface FakeOpenAiServer {
  /** Base URL including `/v1`, as `models.providers.<id>.baseUrl` expects. */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: CapturedRequest[];
  /**
   * `POST /v1/embeddings` requests (kept apart from chat requests). Each text's vector is
   * `fakeEmbedding(text, dimensions)`; an input containing `FAIL` gets a 500.
   */
  readonly embeddingRequests: CapturedRequest[];
  /** Replies for the next requests, in order; afterwards the default answers. */
  enqueue(...scripts: FakeScript[]): void;
  setDefault(script: FakeScript): void;
  /** Resolves when the n-th request (1-based) has arrived. */
  waitForRequest(n: number, timeoutMs?: number): Promise<CapturedRequest>;
  /** Called when each SSE chunk with text is written (benchmarks). */
  onChunkWritten?: (index: number, text: string) => void;
  /** Times (`performance.timeOrigin + now()`, ms) of text chunks written, when `recordChunks` is on. */
  readonly chunkLog: { request: number; index: number; length: number; at: number }[];
  close(): Promise<void>;
}

/** The fake's deterministic embedding of a text: `dimensions` (default 4) numbers in [0, 1). */
export function fakeEmbedding(text: string, dimensions = 4): number[] {
  let sum = 0;
  for (const ch of text) sum += ch.codePointAt(0)!;
  return Array.from({ length: dimensions }, (_, i) => ((sum * (i + 1) + text.length) % 997) / 997);
}

export interface FakeOpenAiOptions {
  readonly apiKey?: string;
  /**
   * Benchmarks: log chunk write times and serve `GET /__fake/log?since=<n>` with the request
   * bodies from index n on and the chunk log, so a process driving the fake from outside can read them.
   */
  readonly recordChunks?: boolean;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  const queue: FakeScript[] = [];
  let fallback: FakeScript = (req) => ({ text: `echo: ${lastUserText(req)}` });
  const requests: CapturedRequest[] = [];
  const embeddingRequests: CapturedRequest[] = [];
  const waiters: { n: number; resolve: (r: CapturedRequest) => void }[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const chunkLog: FakeOpenAiServer['chunkLog'] = [];
  const api: FakeOpenAiServer = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    embeddingRequests,
    chunkLog,
    enqueue: (...scripts) => queue.push(...scripts),
    setDefault: (script) => (fallback = script),
    waitForRequest: (n, timeoutMs = 10_000) => {
      if (requests.length >= n) return Promise.resolve(requests[n - 1]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake upstream: request ${n} did not arrive`)), timeoutMs);
        waiters.push({ n, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (options.recordChunks && req.method === 'GET' && req.url?.startsWith('/__fake/log')) {
      const since = Number(new URL(req.url, 'http://x').searchParams.get('since') ?? 0);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests: requests.slice(since).map((r) => r.body), chunks: chunkLog }));
      chunkLog.length = 0;
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model' }] }));
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/embeddings') {
      embeddings(req, Buffer.concat(chunks).toString('utf8'), res);
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
      return;
    }
    let body: CapturedRequest['body'] = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CapturedRequest['body'];
    } catch {
      res.writeHead(400).end('{"error":{"message":"bad json"}}');
      return;
    }
    const captured: CapturedRequest = { path: req.url, headers: req.headers, body, clientClosed: false, remotePort: req.socket.remotePort, receivedAt: performance.now() };
    requests.push(captured);
    for (const w of waiters.filter((w) => w.n <= requests.length)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(requests[w.n - 1]!);
    }
    res.on('close', () => {
      if (!res.writableFinished) captured.clientClosed = true;
    });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
      return;
    }
    const script = queue.shift() ?? fallback;
    const reply = typeof script === 'function' ? script(captured) : script;
    await respond(reply, captured, res);
  }

  function embeddings(req: IncomingMessage, text: string, res: ServerResponse): void {
    const json = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    let body: CapturedRequest['body'];
    try {
      body = JSON.parse(text) as CapturedRequest['body'];
    } catch {
      return json(400, { error: { message: 'bad json' } });
    }
    embeddingRequests.push({ path: req.url ?? '', headers: req.headers, body, clientClosed: false, remotePort: req.socket.remotePort, receivedAt: performance.now() });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return json(401, { error: { message: 'Incorrect API key provided' } });
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    if (inputs.some((t) => t.includes('FAIL'))) return json(500, { error: { message: 'injected embeddings failure' } });
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : undefined;
    json(200, {
      object: 'list',
      data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t, dimensions) })),
      model: body.model,
      usage: { prompt_tokens: inputs.join(' ').split(/\s+/).length, total_tokens: inputs.join(' ').split(/\s+/).length },
    });
  }

  async function respond(reply: FakeReply, captured: CapturedRequest, res: ServerResponse): Promise<void> {
    const id = `chatcmpl-fake-${++counter}`;
    const model = captured.body.model ?? 'fake-model';
    if (reply.holdUntil) {
      const released = await reply.holdUntil.then(
        () => true,
        () => false,
      );
      if (!released) {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'fake upstream: the held request was never released' } }));
        return;
      }
    }
    if (reply.status && reply.status >= 400) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.errorBody ?? { error: { message: `injected failure ${reply.status}` } }));
      return;
    }
    const pieces = reply.chunks ? [...reply.chunks] : reply.text ? words(reply.text) : [];
    const usage = reply.usage ?? { prompt_tokens: 10, completion_tokens: pieces.length };
    const usageWire = {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      ...(usage.cached_tokens ? { prompt_tokens_details: { cached_tokens: usage.cached_tokens } } : {}),
    };
    const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
      index: i,
      id: c.id ?? `call_fake_${counter}_${i}`,
      type: 'function',
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }));
    const finish = reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop');
    if (reply.json) {
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: pieces.join(''), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: finish }],
          usage: usageWire,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    const send = (payload: unknown): void => {
      res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
    };
    const chunk = (delta: unknown, finishReason: string | null = null): unknown => ({
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
    send(chunk({ role: 'assistant', content: '' }));
    for (const piece of reply.reasoning ? words(reply.reasoning) : []) send(chunk({ reasoning_content: piece }));
    for (let i = 0; i < pieces.length; i++) {
      if (res.destroyed) return;
      if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) return; // silence, connection open
      if (reply.dropAfterChunks !== undefined && i >= reply.dropAfterChunks) {
        res.socket?.destroy();
        return;
      }
      if (reply.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
      if (res.destroyed) return;
      send(chunk({ content: pieces[i] }));
      if (options.recordChunks) chunkLog.push({ request: requests.indexOf(captured), index: i, length: pieces[i]!.length, at: performance.timeOrigin + performance.now() });
      api.onChunkWritten?.(i, pieces[i]!);
    }
    if (reply.hangAfterChunks !== undefined && pieces.length <= reply.hangAfterChunks) return;
    if (reply.malformed === 'bad-json') {
      send('{"choices": [ this is not json');
      res.end();
      return;
    }
    if (reply.malformed === 'error-event') {
      send({ error: { message: 'injected mid-stream failure', type: 'server_error' } });
      res.end();
      return;
    }
    if (reply.malformed === 'truncated') {
      res.end();
      return;
    }
    if (toolCalls.length) {
      // Stream each call in two parts, as real servers do: name first, then arguments in pieces.
      for (const call of toolCalls) {
        const args = call.function.arguments;
        const half = Math.floor(args.length / 2);
        send(chunk({ tool_calls: [{ index: call.index, id: call.id, type: 'function', function: { name: call.function.name, arguments: args.slice(0, half) } }] }));
        send(chunk({ tool_calls: [{ index: call.index, function: { arguments: args.slice(half) } }] }));
      }
    }
    send(chunk({}, finish));
    send({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [], usage: usageWire });
    send('[DONE]');
    res.end();
  }

  return api;
}

/** Config that points the gateway's default model at a fake server. */
export function fakeProviderConfig(
  baseUrl: string,
  extra: { apiKey?: string; cost?: { input: number; output: number; cacheRead?: number }; timeoutMs?: number } = {},
): Record<string, unknown> {
  return {
    models: {
      providers: {
        fake: {
          baseUrl,
          ...(extra.apiKey ? { apiKey: extra.apiKey } : {}),
          ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
          models: [{ id: 'fake-model', name: 'Fake model', contextWindow: 32_000, ...(extra.cost ? { cost: extra.cost } : {}) }],
        },
      },
    },
    agents: { defaults: { model: { primary: 'fake/fake-model' } } },
  };
}
