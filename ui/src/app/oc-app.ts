// The shell: login until the gateway accepts the tab's secret, then a navigation of every view and
// the routed view itself, with the connection's state (reconnecting…, refused) always in sight and
// the number of pending exec approvals on the Approvals link.
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { loadCredentials, takeFragmentToken } from '../gateway/credentials.js';
import { GatewayLink, gatewaySocketUrl, type LinkState } from '../gateway/gateway-link.js';
import { parseRoute, routeHref, VIEWS, type Route } from './router.js';
import { renderView } from './view-table.js';
import './login-form.js';

@customElement('oc-app')
export class OcApp extends LitElement {
  @state() private link: LinkState = { phase: 'login' };
  @state() private route: Route = parseRoute(location.hash);
  @state() private pendingApprovals = 0;
  @state() private menuOpen = false;
  private readonly gateway = new GatewayLink(gatewaySocketUrl(location));
  private offApprovals: (() => void)[] = [];

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.gateway.addEventListener('change', () => this.onLinkChange());
    window.addEventListener('hashchange', () => this.onHashChange());
    const fromLink = takeFragmentToken(location, history);
    const stored = fromLink ? { kind: 'token' as const, secret: fromLink } : loadCredentials();
    this.route = parseRoute(location.hash);
    if (stored) this.gateway.login(stored);
  }

  private onHashChange(): void {
    const token = takeFragmentToken(location, history);
    if (token) this.gateway.login({ kind: 'token', secret: token });
    this.route = parseRoute(location.hash);
    this.menuOpen = false;
  }

  private onLinkChange(): void {
    const previous = this.link;
    this.link = this.gateway.state;
    if (this.link.phase === 'ready' && previous.phase !== 'ready') void this.trackApprovals();
    if (this.link.phase === 'login') this.offApprovals.splice(0).forEach((off) => off());
  }

  /** Keeps the Approvals badge current: the list at each hello-ok, then the requested/resolved events. */
  private async trackApprovals(): Promise<void> {
    const client = this.gateway.client;
    if (!client || !client.hasMethod('exec.approvals.list')) return;
    this.offApprovals.splice(0).forEach((off) => off());
    const ids = new Set<string>();
    const update = () => (this.pendingApprovals = ids.size);
    this.offApprovals.push(
      client.on('exec.approval.requested', (e) => (ids.add(e.id), update())),
      client.on('exec.approval.resolved', (e) => (ids.delete(e.id), update())),
    );
    try {
      for (const entry of await client.exec.approvals.list()) ids.add(entry.id);
      update();
    } catch {
      // The badge is a hint; the Approvals view shows the error.
    }
  }

  private renderStatus() {
    const s = this.link;
    if (s.phase === 'ready') {
      const scopes = s.hello.auth.scopes;
      return html`<span class="status ok" role="status" title=${`protocol ${s.hello.protocol}, scopes ${scopes.join(', ')}`}>Connected · ${s.hello.server.version}</span>`;
    }
    if (s.phase === 'reconnecting') return html`<span class="status warn" role="status">Connection lost — reconnecting… (attempt ${s.attempt}; ${s.reason})</span>`;
    if (s.phase === 'connecting') return html`<span class="status" role="status">Connecting…</span>`;
    if (s.phase === 'refused') return html`<span class="status bad" role="status">${s.refusal.title}</span>`;
    return nothing;
  }

  private renderNav() {
    return html`<nav id="main-nav" class=${this.menuOpen ? 'open' : ''} aria-label="Views">
      <ul>
        ${VIEWS.map(
          (v) => html`<li>
            <a href=${routeHref(v.id)} aria-current=${this.route.view === v.id ? 'page' : 'false'}
              >${v.title}${v.id === 'approvals' && this.pendingApprovals ? html` <span class="badge" aria-label=${`${this.pendingApprovals} pending`}>${this.pendingApprovals}</span>` : nothing}</a
            >
          </li>`,
        )}
      </ul>
    </nav>`;
  }

  private renderMain() {
    const s = this.link;
    if (s.phase === 'login') return html`<oc-login-form .refusal=${s.refusal} @login=${(e: CustomEvent) => this.gateway.login(e.detail)}></oc-login-form>`;
    if (s.phase === 'refused') {
      return html`<section class="view narrow"><div class="banner error" role="alert"><strong>${s.refusal.title}</strong><p>${s.refusal.message}</p><p class="muted">Code: ${s.refusal.code}</p></div>
        <div class="row"><button class="primary" @click=${() => this.gateway.retry()}>Try again</button><button @click=${() => this.gateway.logout()}>Use another token</button></div></section>`;
    }
    const client = this.gateway.client;
    if (!client || !client.hello) return html`<section class="view narrow"><p class="muted">Connecting to the gateway…</p></section>`;
    return renderView(this.route, client);
  }

  protected override render() {
    const loggedIn = this.link.phase !== 'login';
    return html`<header class="topbar">
        ${loggedIn
          ? html`<button class="menu-toggle" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="main-nav" @click=${() => (this.menuOpen = !this.menuOpen)}>Menu</button>`
          : nothing}
        <a class="brand" href="#/chat">OpenClaw</a>
        ${this.renderStatus()}
        <span class="grow"></span>
        ${loggedIn ? html`<button class="link" @click=${() => this.gateway.logout()}>Log out</button>` : nothing}
      </header>
      <div class="layout">
        ${loggedIn ? this.renderNav() : nothing}
        <main id="main">${this.renderMain()}</main>
      </div>`;
  }
}
