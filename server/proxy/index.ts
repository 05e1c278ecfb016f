// The package's `./proxy` entry: GatewayProxy, mountable on your own node:http, Hono or Next.js
// server, which injects the gateway token server-side so browser code never holds it.
export { GatewayProxy, type GatewayProxyOptions } from './gateway-proxy.js';
export type { AuthorizeDecision, AuthorizeHook, ProxySettings, ProxySettingsInput } from './proxy-settings.js';
