// The two SDKs as conformance targets. Each runs against a real gateway process (the CLI) through
// a frame relay; the browser client goes through a real GatewayProxy, as it would in a page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { BrowserGatewayClient } from '../../clients/browser-gateway-client.js';
import { streamBrowserChat } from '../../clients/browser-chat-stream.js';
import { OpenClawClient } from '../../clients/openclaw-client.js';
import type { ChatStream, ChatStreamParams } from '../../clients/runtime/chat-stream.js';
import type { CallOptions } from '../../clients/runtime/rpc-caller.js';
import type { ConnectionEvents, ConnectionState, HelloOk, SessionOptions } from '../../clients/runtime/rpc-session.js';
import { GatewayProxy } from '../../server/proxy/gateway-proxy.js';
import { makeStateDir, startCli, TEST_CONFIG, TEST_TOKEN, type RunningGateway } from '../helpers/gateway-targets.js';
import { startFrameRelay, type FrameRelay } from './frame-relay.js';

export const TEST_ORIGIN = 'http://127.0.0.1:5173';

/** What the conformance suite uses of either SDK. */
export interface TestClient {
  readonly state: ConnectionState;
  connect(): Promise<HelloOk>;
  close(): void;
  reconnectNow(): void;
  hasMethod(method: string): boolean;
  on<K extends keyof ConnectionEvents>(event: K, listener: (payload: ConnectionEvents[K]) => void): () => void;
  once<K extends keyof ConnectionEvents>(event: K, listener: (payload: ConnectionEvents[K]) => void): () => void;
}

/** Fast reconnects so restart and pause cases finish quickly on a busy machine. */
export const FAST_RECONNECT: SessionOptions = { reconnectMinMs: 40, reconnectMaxMs: 400 };

export interface ConformanceEnv {
  readonly relay: FrameRelay;
  gateway: RunningGateway;
  /** Stops the gateway process and starts a new one on the same port. */
  restartGateway(): Promise<void>;
  /** What the next handshake authenticates with: the client's token, or the proxy's. */
  setCredential(token: string): void;
  close(): Promise<void>;
}

export interface SdkUnderTest<C extends TestClient = TestClient> {
  readonly name: string;
  /** OpenClawClient waits for connect.challenge; the browser client sends connect on open. */
  readonly waitsForChallenge: boolean;
  readonly grantedScopes: readonly string[];
  /** The method `readCall` uses, as it appears in request frames. */
  readonly readMethod: string;
  startEnv(config?: unknown): Promise<ConformanceEnv>;
  createClient(env: ConformanceEnv, options?: SessionOptions & { challengeTimeoutMs?: number }): C;
  readCall(client: C, options?: CallOptions): Promise<unknown>;
  invalidParamsCall(client: C): Promise<unknown>;
  readonly invalidParamsMethod: string;
  /** A method the connection's scopes do not cover. */
  forbiddenCall(client: C): Promise<unknown>;
  keyedCall(client: C, options?: CallOptions): Promise<unknown>;
  stream(client: C, params: ChatStreamParams): ChatStream;
  setAuth(client: C, token: string): void;
}

export function testConfig(limits: Record<string, number> = {}): unknown {
  return { gateway: { ...TEST_CONFIG.gateway, limits: { ...TEST_CONFIG.gateway.limits, ...limits } } };
}

async function startGatewayEnv(config: unknown, relayTarget: (gw: RunningGateway) => string, relayOptions: WebSocket.ClientOptions, extra: { setCredential(t: string): void; close(): Promise<void> }): Promise<ConformanceEnv> {
  let gateway = await startCli(config);
  const port = new URL(gateway.url).port;
  const relay = await startFrameRelay(() => relayTarget(gateway), relayOptions);
  return {
    relay,
    get gateway() {
      return gateway;
    },
    async restartGateway() {
      await gateway.stop();
      gateway = await startCli(config, makeStateDir(config), ['--port', port]);
    },
    setCredential: extra.setCredential,
    async close() {
      await relay.close();
      await extra.close();
      await gateway.stop();
    },
  };
}

const nodeClients = new WeakMap<ConformanceEnv, { token: string }>();

export const openClawSdk: SdkUnderTest<OpenClawClient> = {
  name: 'OpenClawClient',
  waitsForChallenge: true,
  grantedScopes: ['operator.read', 'operator.write'],
  readMethod: 'health',
  async startEnv(config = TEST_CONFIG) {
    const credential = { token: TEST_TOKEN };
    const env = await startGatewayEnv(config, (gw) => gw.url.replace(/\/ws$/, ''), {}, {
      setCredential: (t) => (credential.token = t),
      close: async () => {},
    });
    nodeClients.set(env, credential);
    return env;
  },
  createClient(env, options = {}) {
    return new OpenClawClient({
      url: `${env.relay.url}/ws`,
      token: nodeClients.get(env)!.token,
      scopes: ['operator.read', 'operator.write'],
      ...FAST_RECONNECT,
      ...options,
    });
  },
  readCall: (client, options) => client.health({}, options),
  invalidParamsCall: (client) => client.logs.tail({ limit: 0 }),
  invalidParamsMethod: 'logs.tail',
  forbiddenCall: (client) => client.config.schema(),
  keyedCall: (client, options) => client.chat.send({ sessionKey: 'main', message: 'hello' }, options),
  stream: (client, params) => client.chat.stream(params),
  setAuth: (client, token) => client.setAuth({ token }),
};

async function startProxyServer(settings: () => { upstreamUrl: string; token: string }): Promise<{ server: Server; proxy: GatewayProxy; origin: string }> {
  const proxy = new GatewayProxy({ settings: () => ({ ...settings(), allowedOrigins: [TEST_ORIGIN] }) });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').startsWith('/api/gateway/ws')) proxy.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, proxy, origin: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export const browserSdk: SdkUnderTest<BrowserGatewayClient> = {
  name: 'BrowserGatewayClient (through GatewayProxy)',
  waitsForChallenge: false,
  grantedScopes: ['operator.read', 'operator.write'],
  readMethod: 'chat.history',
  async startEnv(config = TEST_CONFIG) {
    const credential = { token: TEST_TOKEN };
    let gatewayUrl = '';
    const proxied = await startProxyServer(() => ({ upstreamUrl: gatewayUrl, token: credential.token }));
    const env = await startGatewayEnv(config, () => proxied.origin, { origin: TEST_ORIGIN }, {
      setCredential: (t) => (credential.token = t),
      async close() {
        proxied.proxy.close();
        proxied.server.closeAllConnections();
        await new Promise<void>((resolve) => proxied.server.close(() => resolve()));
      },
    });
    gatewayUrl = env.gateway.url;
    return env;
  },
  createClient(env, options = {}) {
    return new BrowserGatewayClient({ url: `${env.relay.url}/api/gateway/ws`, WebSocket, ...FAST_RECONNECT, ...options });
  },
  readCall: (client, options) => client.chat.history({ sessionKey: 'main' }, options),
  invalidParamsCall: (client) => client.chat.history({ sessionKey: '' }),
  invalidParamsMethod: 'chat.history',
  forbiddenCall: (client) => client.chat.inject({ sessionKey: 'main', message: 'hi' }),
  keyedCall: (client, options) => client.chat.send({ sessionKey: 'main', message: 'hello' }, options),
  stream: (client, params) => streamBrowserChat(client, params),
  setAuth: () => {},
};
