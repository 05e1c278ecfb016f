// Starts in-process gateways for HTTP tests: TEST_CONFIG plus per-suite overrides, and optionally a
// fake upstream model, the official OpenAI SDK pointed at the gateway and a watching operator socket.
import OpenAI from 'openai';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { openReady, type RawSocket } from '../helpers/raw-socket.js';

type Json = Record<string, unknown>;

function merge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const prior = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && prior && typeof prior === 'object' && !Array.isArray(prior)
        ? merge(prior as Json, value as Json)
        : value;
  }
  return out;
}

export function httpTestConfig(extra: Json = {}): Json {
  return merge(TEST_CONFIG as Json, extra);
}

export function startHttpGateway(extra: Json = {}): Promise<RunningGateway> {
  return startInProcess(httpTestConfig(extra));
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export type ApiError = InstanceType<typeof OpenAI.APIError>;

/** The SDK call must fail with an APIError (the gateway answered an error status): that error. */
export function failure(p: Promise<unknown>): Promise<ApiError> {
  return p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => {
      if (!(e instanceof OpenAI.APIError)) throw new Error(`expected an OpenAI APIError, got ${String(e)}`);
      return e;
    },
  );
}

export interface AgentGateway {
  readonly gw: RunningGateway;
  readonly upstream: FakeOpenAiServer;
  /** The official SDK pointed at the gateway (no retries, so a 500 is seen once). */
  readonly openai: OpenAI;
  /** An operator socket that watches the chat/agent events every run publishes. */
  readonly watcher: RawSocket;
  stop(): Promise<void>;
}

/** A gateway whose default model is a fake upstream, with agents `main` and `ops`. */
export async function startAgentGateway(extra: Json = {}): Promise<AgentGateway> {
  const upstream = await startFakeOpenAi();
  const agents = { agents: { list: [{ id: 'main', default: true }, { id: 'ops', name: 'Ops' }] } };
  const gw = await startInProcess(httpTestConfig(merge(merge(fakeProviderConfig(upstream.baseUrl), agents), extra)));
  const openai = new OpenAI({ baseURL: `${gw.httpUrl}/v1`, apiKey: gw.token, maxRetries: 0, timeout: 30_000 });
  const watcher = (await openReady(gw.url, gw.token)).socket;
  return {
    gw,
    upstream,
    openai,
    watcher,
    async stop() {
      watcher.close();
      await gw.stop();
      await upstream.close();
    },
  };
}
