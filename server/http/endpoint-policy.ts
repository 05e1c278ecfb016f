// Per-endpoint HTTP settings read from the live config: body size limits, the body deadline, and
// which endpoints are switched off (a disabled one answers 404 naming the key that enables it).
import type { OpenClawConfig } from '../../contract/schemas/config.js';

const MiB = 1024 * 1024;
const ENABLE_KEYS: Readonly<Record<string, string>> = {
  chatCompletions: 'gateway.http.endpoints.chatCompletions.enabled',
  responses: 'gateway.http.endpoints.responses.enabled',
};
/** These go with the OpenAI surface, as upstream: off when both OpenAI endpoints are off. */
const OPENAI_COMPANIONS: ReadonlySet<string> = new Set(['models', 'modelsRetrieve', 'embeddings']);

export interface EndpointPolicy {
  bodyLimit(endpoint: string): number;
  bodyTimeoutMs(): number;
  /** The config key that would enable a disabled endpoint; null when it is enabled. */
  disabledBy(endpoint: string): string | null;
}

export function endpointPolicy(config: () => OpenClawConfig): EndpointPolicy {
  return {
    bodyLimit(endpoint) {
      const http = config().gateway?.http;
      if (endpoint === 'chatCompletions') return http?.endpoints?.chatCompletions?.maxBodyBytes ?? 20 * MiB;
      if (endpoint === 'responses') return http?.endpoints?.responses?.maxBodyBytes ?? 20 * MiB;
      if (endpoint === 'toolsInvoke') return http?.toolsInvokeMaxBodyBytes ?? 2 * MiB;
      // 128 inputs of 8,192 characters fit well within upstream's 5 MiB.
      if (endpoint === 'embeddings') return 5 * MiB;
      return MiB;
    },
    bodyTimeoutMs: () => config().gateway?.http?.requestBodyTimeoutMs ?? 30_000,
    disabledBy(endpoint) {
      const endpoints = config().gateway?.http?.endpoints as Record<string, { enabled?: boolean } | undefined> | undefined;
      const off = (name: string): boolean => endpoints?.[name]?.enabled === false;
      const key = ENABLE_KEYS[endpoint];
      if (key) return off(endpoint) ? key : null;
      if (OPENAI_COMPANIONS.has(endpoint) && off('chatCompletions') && off('responses')) return `${ENABLE_KEYS.chatCompletions} or ${ENABLE_KEYS.responses}`;
      return null;
    },
  };
}
