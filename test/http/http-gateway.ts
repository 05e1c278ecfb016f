// Starts an in-process gateway for HTTP tests with TEST_CONFIG plus per-suite config overrides.
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';

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
