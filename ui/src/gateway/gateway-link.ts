// The page's one connection to the gateway that served it: an OpenClawClient on this origin's /ws,
// logged in with the tab's credentials, and the state the shell shows (login, connecting, ready,
// reconnecting with the reason, refused). Views use `client` while the state is `ready`.
import { OpenClawClient } from '../../../clients/openclaw-client.js';
import type { HelloOk } from '../../../clients/runtime/session-types.js';
import { clearCredentials, saveCredentials, type Credentials } from './credentials.js';
import { describeRefusal, type Refusal } from './connect-refusal.js';

export type LinkState =
  | { readonly phase: 'login'; readonly refusal?: Refusal }
  | { readonly phase: 'connecting' }
  | { readonly phase: 'ready'; readonly hello: HelloOk }
  | { readonly phase: 'reconnecting'; readonly attempt: number; readonly reason: string }
  | { readonly phase: 'refused'; readonly refusal: Refusal };

/** Everything the Control UI may do: all operator scopes (the gateway grants what it allows). */
export const CONTROL_UI_SCOPES = ['operator.admin', 'operator.read', 'operator.write', 'operator.approvals', 'operator.pairing'] as const;

export function gatewaySocketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export class GatewayLink extends EventTarget {
  state: LinkState = { phase: 'login' };
  client: OpenClawClient | undefined;
  private offs: (() => void)[] = [];
  private lastClose = '';

  constructor(private readonly url: string) {
    super();
  }

  /** Connects with these credentials (replacing any earlier client) and remembers them for the tab. */
  login(credentials: Credentials): void {
    this.dispose();
    saveCredentials(credentials);
    const client = new OpenClawClient({
      url: this.url,
      ...(credentials.kind === 'token' ? { token: credentials.secret } : { password: credentials.secret }),
      scopes: [...CONTROL_UI_SCOPES],
      caps: ['tool-events'],
      client: { id: 'openclaw-control-ui', mode: 'ui', displayName: 'Control UI' },
      reconnectMinMs: 500,
      reconnectMaxMs: 10_000,
    });
    this.client = client;
    this.offs.push(
      client.on('ready', ({ hello }) => this.set({ phase: 'ready', hello })),
      client.on('closed', ({ code, reason, final }) => {
        if (!final) this.lastClose = reason ? `${reason} (${code})` : `connection closed (${code})`;
      }),
      client.on('reconnecting', ({ attempt }) => {
        if (this.state.phase === 'refused' || this.state.phase === 'login') return;
        this.set({ phase: 'reconnecting', attempt, reason: this.lastClose || 'connection lost' });
      }),
      client.on('paused', ({ reason, error }) => {
        const refusal = describeRefusal(error, reason, { secureContext: globalThis.isSecureContext, origin: location.origin, port: location.port });
        if (refusal.askForSecret) {
          clearCredentials();
          this.dispose();
          this.set({ phase: 'login', refusal });
        } else this.set({ phase: 'refused', refusal });
      }),
    );
    this.set({ phase: 'connecting' });
    client.connect().catch(() => {});
  }

  /** Forgets the tab's credentials and closes the connection. */
  logout(): void {
    clearCredentials();
    this.dispose();
    this.set({ phase: 'login' });
  }

  /** Tries again at once (after a refusal the operator fixed on the gateway side). */
  retry(): void {
    if (!this.client) return;
    this.set({ phase: 'connecting' });
    this.client.connect().catch(() => {});
    this.client.reconnectNow();
  }

  private dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.client?.close();
    this.client = undefined;
    this.lastClose = '';
  }

  private set(state: LinkState): void {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }
}
