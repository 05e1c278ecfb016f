import { OpenClawConfig } from '../../contract/schemas/config.js';
import type { ConfigHandlers } from '../../generated/server/handlers.js';
import { jsonSchemaOf } from '../../contract/json-schema.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { ConfigWriteOutcome } from './config-store.js';
import { redactValue } from './redact.js';

const UI_HINTS = {
  'gateway.auth.token': { label: 'Gateway token', sensitive: true, group: 'gateway' },
  'gateway.auth.password': { label: 'Gateway password', sensitive: true, group: 'gateway' },
  'gateway.port': { label: 'Port', help: 'Takes effect after a restart.', group: 'gateway' },
  'gateway.bind': { label: 'Bind', help: 'loopback keeps the gateway local; takes effect after a restart.', group: 'gateway' },
  'models.providers.*.apiKey': { label: 'Provider API key', sensitive: true, group: 'models' },
  'agents.defaults.model': { label: 'Default model', help: '"<provider>/<model>"', group: 'agents' },
};

export function createConfigHandlers(rt: GatewayRuntime): ConfigHandlers {
  const written = (outcome: ConfigWriteOutcome) => ({
    ok: true as const,
    path: rt.config.path,
    config: redactValue(outcome.config) as Record<string, unknown>,
    hash: outcome.hash,
    ...(outcome.noop ? { noop: true } : {}),
    ...(outcome.restartRequired.length ? { restartRequired: outcome.restartRequired } : {}),
  });
  let schemaCache: unknown;
  return {
    'config.get': () => rt.config.redactedSnapshot(),
    'config.set': (params) => written(rt.config.replace(params.raw, params.baseHash)),
    'config.apply': (params) => written(rt.config.replace(params.raw, params.baseHash)),
    'config.patch': (params) => written(rt.config.patch(params.raw, params.baseHash)),
    'config.schema': () => ({
      schema: (schemaCache ??= jsonSchemaOf(OpenClawConfig, 'input')),
      uiHints: UI_HINTS,
      version: rt.version,
      generatedAt: new Date(rt.startedAt).toISOString(),
    }),
  };
}
