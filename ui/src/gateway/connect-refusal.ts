// What the operator is told when the gateway will not let this page in: each handshake refusal
// the contract names, in words that say what to do next.
import type { GatewayError } from '../../../clients/runtime/gateway-error.js';

export interface Refusal {
  /** Short, for the status line. */
  readonly title: string;
  /** What happened and what to do. */
  readonly message: string;
  /** The login form should be shown again (a different secret can fix it). */
  readonly askForSecret: boolean;
  readonly code: string;
}

export interface PageContext {
  readonly secureContext: boolean;
  readonly origin: string;
  /** The gateway's port as this page reached it, for the loopback address to suggest. */
  readonly port: string;
}

const loopbackUrl = (page: PageContext): string => `http://127.0.0.1:${page.port || '18789'}/`;

const DEVICE_CODES = new Set(['CONTROL_UI_DEVICE_IDENTITY_REQUIRED', 'DEVICE_IDENTITY_REQUIRED', 'PAIRING_REQUIRED', 'NOT_PAIRED']);

export function describeRefusal(error: GatewayError | undefined, reason: string, page: PageContext): Refusal {
  const code = error?.detailCode ?? error?.code ?? (reason.split(':')[0] || 'REFUSED');
  const said = error?.message ?? reason;
  switch (code) {
    case 'AUTH_TOKEN_MISMATCH':
    case 'AUTH_DEVICE_TOKEN_MISMATCH':
      return { code, askForSecret: true, title: 'Wrong token', message: 'The gateway refused this token. Paste the token from the gateway banner (or `openclaw dashboard`), or check gateway.auth.token.' };
    case 'AUTH_TOKEN_MISSING':
      return { code, askForSecret: true, title: 'Token required', message: 'This gateway needs its token. Paste it below, or open the link the gateway printed at start-up.' };
    case 'AUTH_PASSWORD_MISMATCH':
      return { code, askForSecret: true, title: 'Wrong password', message: 'The gateway refused this password; check gateway.auth.password.' };
    case 'AUTH_PASSWORD_MISSING':
      return { code, askForSecret: true, title: 'Password required', message: 'This gateway uses a password (gateway.auth.mode "password"). Choose "Password" and enter it.' };
    case 'AUTH_TOKEN_NOT_CONFIGURED':
    case 'AUTH_PASSWORD_NOT_CONFIGURED':
      return { code, askForSecret: true, title: 'Gateway auth not configured', message: `${said}. Set the secret in openclaw.json on the gateway, then try again.` };
    case 'CONTROL_UI_ORIGIN_NOT_ALLOWED':
      return {
        code,
        askForSecret: false,
        title: 'Origin not allowed',
        message: `The gateway does not accept connections from pages at ${page.origin}. Open the UI from the gateway itself (${loopbackUrl(page)}), or add ${page.origin} to gateway.controlUi.allowedOrigins.`,
      };
    case 'PROTOCOL_MISMATCH':
      return { code, askForSecret: false, title: 'Protocol mismatch', message: 'This UI and the gateway speak different protocol versions; reload the page (the gateway serves a matching UI).' };
    default:
      if (DEVICE_CODES.has(code)) {
        const fix = page.secureContext
          ? 'Approve this browser as a device on the gateway (or connect from the gateway machine itself).'
          : `Browsers only create a device identity on a secure origin, and ${page.origin} is not one. Open the UI over https, or at ${loopbackUrl(page)} on the gateway machine (or set gateway.controlUi.allowInsecureAuth).`;
        return { code, askForSecret: false, title: 'Device identity required', message: `The gateway requires a device identity for this connection. ${fix}` };
      }
      if (code.startsWith('AUTH_') || code.startsWith('DEVICE_AUTH_')) return { code, askForSecret: true, title: 'Refused', message: said };
      return { code, askForSecret: false, title: 'Refused', message: said };
  }
}
