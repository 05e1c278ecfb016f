// What `openclaw gateway` prints once it listens: where, how clients authenticate (and where that
// secret really comes from), the dashboard link, and where state and logs live.
import type { TokenSource } from '../config/gateway-settings.js';
import { dashboardLink } from './dashboard-link.js';

export interface BannerInput {
  readonly version: string;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly authMode: 'none' | 'token' | 'password';
  readonly token: string | undefined;
  readonly tokenSource: TokenSource;
  readonly tokenGenerated: boolean;
  readonly configPath: string;
  readonly stateDir: string;
  readonly logFile: string;
}

function tokenLine(b: BannerInput): string {
  if (b.authMode === 'none') return '  auth:   none (gateway.auth.mode is "none"): any local process can connect';
  if (b.authMode === 'password') return `  auth:   password (gateway.auth.password in ${b.configPath}, or OPENCLAW_GATEWAY_PASSWORD)`;
  if (b.tokenGenerated) return `  token:  ${b.token}  (generated; stored as gateway.auth.token in ${b.configPath})`;
  switch (b.tokenSource) {
    case 'flag':
      return '  token:  from --token (not stored; the next start without it uses the configured token)';
    case 'env':
      return '  token:  from OPENCLAW_GATEWAY_TOKEN';
    default:
      return `  token:  gateway.auth.token in ${b.configPath}`;
  }
}

export function gatewayBanner(b: BannerInput): string {
  const lines = [
    `OpenClaw gateway ${b.version} listening on ${b.url}`,
    `  http:   http://${b.url.slice(5, -3)}/  (dashboard, /v1/chat/completions, /tools/invoke)`,
    tokenLine(b),
    `  dashboard: ${dashboardLink(b.host, b.port, b.authMode === 'token' ? b.token : undefined)}`,
    `  state:  ${b.stateDir}`,
    `  logs:   ${b.logFile}`,
  ];
  if (b.host !== '127.0.0.1' && b.host !== '::1' && b.host !== 'localhost') {
    lines.push(`  warning: listening beyond loopback (${b.host}); anyone who can reach this port can try the token`);
  }
  return `${lines.join('\n')}\n`;
}
