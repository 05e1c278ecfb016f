// A test peer on the in-process transport: frames it receives are parsed and queued for waitFor().
import { AuthRateLimiter } from '../../server/auth/auth-rate-limiter.js';
import { resolveSettings, type GatewaySettings } from '../../server/config/gateway-settings.js';
import { Connection } from '../../server/core/connection.js';
import type { ConnectionHost } from '../../server/core/connection-host.js';
import { Dispatcher } from '../../server/core/dispatcher.js';
import type { BoundMethod, HandlerFn } from '../../server/core/method-entry.js';
import type { MethodContext } from '../../server/core/method-context.js';
import type { HelloOk } from '../../contract/schemas/connect.js';
import { createGatewayLogger, type GatewayLogger } from '../../server/logs/gateway-logger.js';
import { createInProcessPair, type InProcessClientSide } from '../../server/transport/in-process-transport.js';
import { METHOD_TABLE } from '../../generated/server/method-table.js';
import type { MethodName } from '../../generated/server/method-types.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { connectParams, type Frame } from '../helpers/raw-socket.js';

export interface InProcessPeer {
  readonly client: InProcessClientSide;
  readonly frames: Frame[];
  send(frame: unknown): void;
  sendText(text: string): void;
  waitFor(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Sends a request and resolves with its (final) response. */
  call(method: string, params?: unknown, id?: string): Promise<Frame>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

let ids = 0;

export function peerOf(client: InProcessClientSide): InProcessPeer {
  const frames: Frame[] = [];
  const waiters: { predicate: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  client.onMessage((text) => {
    const frame = JSON.parse(text) as Frame;
    const index = waiters.findIndex((w) => w.predicate(frame));
    if (index >= 0) waiters.splice(index, 1)[0]!.resolve(frame);
    else frames.push(frame);
  });
  const waitFor = (predicate: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> => {
    const index = frames.findIndex(predicate);
    if (index >= 0) return Promise.resolve(frames.splice(index, 1)[0]!);
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ predicate, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  };
  return {
    client,
    frames,
    send: (frame) => client.send(JSON.stringify(frame)),
    sendText: (text) => client.send(text),
    waitFor,
    call(method, params, id = `ip${++ids}`) {
      client.send(JSON.stringify({ type: 'req', id, method, ...(params === undefined ? {} : { params }) }));
      return waitFor((f) => f.type === 'res' && f.id === id);
    },
    closed: client.closed,
  };
}

/** Challenge, connect, hello-ok over an in-process client. */
export async function handshakeInProcess(client: InProcessClientSide, token: string | undefined, overrides: Record<string, unknown> = {}): Promise<{ peer: InProcessPeer; hello: any }> {
  const peer = peerOf(client);
  await peer.waitFor((f) => f.event === 'connect.challenge');
  const res = await peer.call('connect', connectParams({ auth: { token }, ...overrides }), 'connect-1');
  if (!res.ok) throw new Error(`connect failed: ${JSON.stringify(res.error)}`);
  return { peer, hello: res.payload };
}

export type TestHandler = (params: unknown, ctx: MethodContext) => unknown;

export interface TestHostOptions {
  readonly token?: string;
  readonly config?: OpenClawConfig;
  readonly logFile: string;
  /** Check results and declared errors against the contract (the dispatcher's contract step). */
  readonly validateContract?: boolean;
  /** Wire name → [row of the generated method table whose validators and scope it uses, handler]. */
  readonly methods: Record<string, [MethodName, TestHandler]>;
}

export interface TestHost {
  readonly host: ConnectionHost;
  readonly logger: GatewayLogger;
  readonly settings: GatewaySettings;
  /** A new connection on the in-process transport, challenge already sent. */
  connect(): { connection: Connection; client: InProcessClientSide };
}

/** A ConnectionHost with hand-picked handlers bound to real method-table rows. */
export function createTestHost(options: TestHostOptions): TestHost {
  const token = options.token ?? 'unit-token';
  const settings = resolveSettings({ ...options.config, gateway: { ...options.config?.gateway, auth: { token } } }, {});
  const logger = createGatewayLogger({ file: options.logFile, level: 'debug' });
  const methods = new Map<string, BoundMethod>(
    Object.entries(options.methods).map(([wire, [row, handler]]) => [wire, { entry: METHOD_TABLE[row], handler: handler as HandlerFn }]),
  );
  const host: ConnectionHost = {
    settings: () => settings,
    dispatcher: new Dispatcher({ methods, logger, validateContract: options.validateContract ?? false, maxInFlight: () => settings.limits.maxInFlightPerConnection }),
    rateLimiter: new AuthRateLimiter(settings.auth.rateLimit),
    redactText: (text) => text,
    logger,
    buildHello: (c) =>
      ({
        type: 'hello-ok',
        protocol: c.protocol,
        server: { version: 'test', connId: c.connId },
        features: { methods: [...methods.keys()], events: [] },
        snapshot: {},
        policy: { maxPayload: settings.limits.maxPayload, maxBufferedBytes: settings.limits.maxBufferedBytes, tickIntervalMs: settings.limits.tickIntervalMs },
        auth: { role: c.role, scopes: [...c.scopes] },
      }) as unknown as HelloOk,
    onAuthenticated() {},
    onReady() {},
    onClosed() {},
  };
  return {
    host,
    logger,
    settings,
    connect() {
      const pair = createInProcessPair({ maxPayload: settings.limits.preauthMaxPayload });
      const connection = new Connection(pair.serverSide, host);
      pair.bind(
        (data, isBinary) => connection.receive(data, isBinary),
        () => connection.handleClosed(),
      );
      connection.start();
      return { connection, client: pair.client };
    },
  };
}
