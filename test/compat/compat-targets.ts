// The two gateways the compatibility scenarios run against: ours (in process) and, when it can be
// installed, a real upstream OpenClaw gateway. Both answer their model calls from the same fake
// OpenAI-compatible server, and both take the same token.
import WebSocket from 'ws';
import { OpenClawClient, type OpenClawClientOptions } from '../../clients/openclaw-client.js';
import type { WebSocketClass } from '../../clients/runtime/websocket-impl.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG } from '../helpers/gateway-targets.js';
import { ensureUpstream, startUpstream, type UpstreamAvailability } from '../helpers/upstream-openclaw.js';

export type TargetName = 'ours' | 'upstream';

export interface CompatTarget {
  readonly name: TargetName;
  readonly url: string;
  readonly token: string;
  readonly fake: FakeOpenAiServer;
  stop(): Promise<void>;
}

export const COMPAT_TOKEN = 'compat-token-0123456789abcdef';
/** The origin of the page the GatewayProxy scenarios pretend to serve. */
export const BROWSER_ORIGIN = 'http://127.0.0.1:5173';
const FAKE_MODEL = { id: 'fake-model', name: 'Fake model', contextWindow: 32_000, maxTokens: 4_096 };

export async function startOurs(): Promise<CompatTarget> {
  const fake = await startFakeOpenAi();
  const gw = await startInProcess({
    // The page origin the proxy scenarios relay is allowed, as a deployment serving that page would.
    gateway: { ...TEST_CONFIG.gateway, auth: { ...TEST_CONFIG.gateway.auth, token: COMPAT_TOKEN }, controlUi: { allowedOrigins: [BROWSER_ORIGIN] } },
    models: { providers: { fake: { baseUrl: fake.baseUrl, models: [FAKE_MODEL] } } },
    agents: { defaults: { model: { primary: 'fake/fake-model' } } },
  });
  return {
    name: 'ours',
    url: gw.url,
    token: COMPAT_TOKEN,
    fake,
    async stop() {
      await gw.stop();
      await fake.close();
    },
  };
}

export async function startUpstreamTarget(availability: UpstreamAvailability & { ok: true }): Promise<CompatTarget> {
  const fake = await startFakeOpenAi();
  const up = await startUpstream(availability.install, {
    token: COMPAT_TOKEN,
    config: {
      models: {
        mode: 'merge',
        providers: {
          fake: {
            baseUrl: fake.baseUrl,
            apiKey: 'sk-local',
            api: 'openai-completions',
            models: [{ ...FAKE_MODEL, reasoning: false, input: ['text'], cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } }],
          },
        },
      },
      agents: { defaults: { model: { primary: 'fake/fake-model' } } },
    },
  });
  return {
    name: 'upstream',
    url: up.url,
    token: COMPAT_TOKEN,
    fake,
    async stop() {
      await up.stop();
      await fake.close();
    },
  };
}

/** Whether the upstream gateway can run here; the reason is printed when it cannot. */
export async function upstreamAvailability(): Promise<UpstreamAvailability> {
  const availability = await ensureUpstream();
  if (!availability.ok) console.warn(`[compat] upstream OpenClaw scenarios skipped: ${availability.reason}`);
  return availability;
}

/** A `ws` WebSocket class that records every frame sent and each socket opened (the wire as the gateway sees it). */
export function wireTap(): { WebSocket: WebSocketClass; sent: { type?: string; method?: string; id?: string }[]; sockets: () => number } {
  const sent: { type?: string; method?: string; id?: string }[] = [];
  let sockets = 0;
  class TapSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { perMessageDeflate: false });
      sockets++;
      this.on('error', () => {});
    }
    override send(data: unknown, ...rest: unknown[]): void {
      try {
        sent.push(JSON.parse(String(data)) as (typeof sent)[number]);
      } catch {
        /* not JSON: not ours to record */
      }
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }
  return { WebSocket: TapSocket as unknown as WebSocketClass, sent, sockets: () => sockets };
}

export function clientFor(target: CompatTarget, options: Partial<OpenClawClientOptions> = {}): OpenClawClient {
  return new OpenClawClient({ url: target.url, token: target.token, reconnectMinMs: 40, reconnectMaxMs: 400, timeoutMs: 60_000, ...options });
}
