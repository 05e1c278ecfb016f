import type { HttpHandlers } from '../../generated/http/routes.js';
import openapi from '../../generated/schema/openapi.json' with { type: 'json' };
import type { GatewayRuntime } from '../gateway-runtime.js';
import { isLoopbackAddress } from '../transport/ws-frame-socket.js';
import { presentsGatewaySecret } from './bearer-auth.js';
import { headerOf, remoteAddressOf } from './node-request.js';

const NO_STORE = { 'cache-control': 'no-store' };

/** Probes and the OpenAPI document: the routes that need no subsystem. */
export function createProbeHandlers(
  rt: GatewayRuntime,
  readiness: () => string[],
): Pick<HttpHandlers, 'probesLive' | 'probesReady' | 'openapi'> {
  return {
    probesLive: (c) => c.json({ ok: true as const, status: 'live' as const }, 200, NO_STORE),
    probesReady: (c) => {
      const failing = readiness();
      const status = failing.length ? 503 : 200;
      // Probes stay open: a wrong token is not counted by the rate limiter, it only hides the details.
      const detailed = isLoopbackAddress(remoteAddressOf(c)) || presentsGatewaySecret(headerOf(c, 'authorization'), rt.settings().auth);
      return c.json(
        detailed ? { ready: failing.length === 0, failing, uptimeMs: Date.now() - rt.startedAt } : { ready: failing.length === 0 },
        status,
        NO_STORE,
      );
    },
    openapi: (c) => c.json(openapi),
  };
}
