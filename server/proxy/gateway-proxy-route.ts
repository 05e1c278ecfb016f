// The gateway's own GatewayProxy at /api/gateway/ws: upstream is this gateway's RPC socket, the
// token is the gateway's, and by default only pages served from this gateway's loopback origin
// may connect (`gateway.proxy` in openclaw.json changes that, or turns the route off).
import type { Server } from 'node:http';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import type { GatewaySettings } from '../config/gateway-settings.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { refuseUpgrade, type UpgradeRoute } from '../transport/ws-transport.js';
import { GatewayProxy } from './gateway-proxy.js';
import type { ProxySettingsInput } from './proxy-settings.js';

export const GATEWAY_PROXY_PATH = '/api/gateway/ws';

export interface GatewayProxyRouteDeps {
  readonly server: Server;
  readonly settings: () => GatewaySettings;
  readonly config: () => OpenClawConfig;
  readonly logger: GatewayLogger;
}

function loopbackHost(bindHost: string): string {
  if (bindHost === '0.0.0.0') return '127.0.0.1';
  if (bindHost === '::') return '[::1]';
  return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
}

export function proxySettingsFor(deps: GatewayProxyRouteDeps): ProxySettingsInput {
  const address = deps.server.address();
  const port = typeof address === 'object' && address ? address.port : deps.settings().port;
  const settings = deps.settings();
  const proxy = deps.config().gateway?.proxy ?? {};
  return {
    upstreamUrl: `ws://${loopbackHost(settings.host)}:${port}/ws`,
    token: settings.auth.mode === 'token' ? settings.auth.token : undefined,
    password: settings.auth.mode === 'password' ? settings.auth.password : undefined,
    allowedOrigins: proxy.allowedOrigins ?? [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`],
    allowAdminScope: proxy.allowAdminScope,
    maxQueuedFrames: proxy.maxQueuedFrames,
    upstreamTimeoutMs: proxy.upstreamTimeoutMs,
    // This gateway counts proxied pages as WebChat clients: relay the page's own identity.
    upstreamClient: 'browser',
  };
}

export function createGatewayProxyRoute(deps: GatewayProxyRouteDeps): { route: UpgradeRoute; close(): void } {
  const proxy = new GatewayProxy({
    settings: () => proxySettingsFor(deps),
    maxPayload: deps.settings().limits.maxPayload,
    pingIntervalMs: deps.settings().limits.pingIntervalMs,
    logger: deps.logger,
  });
  return {
    route: {
      path: GATEWAY_PROXY_PATH,
      handleUpgrade(request, socket, head) {
        if (deps.config().gateway?.proxy?.enabled === false) {
          refuseUpgrade(socket, 404, 'Not Found', 'the browser proxy is disabled (gateway.proxy.enabled)');
          return;
        }
        proxy.handleUpgrade(request, socket, head);
      },
    },
    close: () => proxy.close(),
  };
}
