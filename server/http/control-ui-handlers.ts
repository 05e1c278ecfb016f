// The Control UI over HTTP: `GET /` answers the built index.html (no-cache, strict CSP) and
// `GET /assets/<hashed name>` its scripts and styles (immutable). The page talks to the gateway over
// the same WebSocket as every client; nothing here needs the token.
import type { Context } from 'hono';
import type { HttpHandlers } from '../../generated/http/routes.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { ControlUiFiles, defaultControlUiRoots } from './control-ui-files.js';
import { headerOf } from './node-request.js';

/**
 * Scripts and styles only from this origin (no inline code), images also as data:/blob: (pasted
 * attachments), the WebSocket back to this origin, and no framing.
 */
export const CONTROL_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': CONTROL_UI_CSP,
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const NOT_FOUND = (): Response => new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** What `/` answers when the UI was never built: how to build it, and where the API is. */
function notBuiltPage(version: string, tried: readonly string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OpenClaw Gateway</title></head>
<body><h1>OpenClaw Gateway ${escapeHtml(version)}</h1>
<p>The Control UI is not built here. Run <code>npm run build</code> in the gateway's folder (or set
<code>gateway.controlUi.root</code> to a built copy), then reload this page.</p>
<p>Looked in: ${tried.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}</p>
<p>The WebSocket API is at <code>/ws</code>, the OpenAI-compatible API at <code>/v1</code>, the API description at <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>`;
}

export function createControlUiHandlers(rt: GatewayRuntime): Pick<HttpHandlers, 'dashboard' | 'controlUiAsset'> {
  const settings = () => rt.config.config.gateway?.controlUi;
  const roots = (): string[] => {
    const root = settings()?.root;
    return root ? [root] : defaultControlUiRoots();
  };
  const files = new ControlUiFiles(roots);
  const enabled = (): boolean => settings()?.enabled !== false;

  return {
    dashboard: (c: Context) => {
      if (!enabled()) return NOT_FOUND();
      const index = files.index();
      if (index === undefined) return c.body(notBuiltPage(rt.version, roots()), 503, PAGE_HEADERS);
      return c.body(index, 200, PAGE_HEADERS);
    },
    controlUiAsset: (c: Context, params) => {
      if (!enabled()) return NOT_FOUND();
      const asset = files.asset(params.name);
      if (!asset) return NOT_FOUND();
      const gzip = asset.gzip && /\bgzip\b/.test(headerOf(c, 'accept-encoding') ?? '');
      const headers: Record<string, string> = {
        'content-type': asset.contentType,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'accept-encoding',
      };
      if (gzip) headers['content-encoding'] = 'gzip';
      return new Response(gzip ? asset.gzip! : asset.body, { status: 200, headers });
    },
  };
}
