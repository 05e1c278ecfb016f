// Channels: every channel account with its state (live from channel.status events), start / stop /
// log out, and the DM pairing requests of unknown senders waiting for approval.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { confirmButton } from '../shared/confirm-button.js';
import { formatAgo } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';

type Status = GatewayMethods['channels.status']['result'];
type Account = Status['channelAccounts'][string][number];
type Pairing = GatewayMethods['channel.pairing.list']['result']['channels'][number];

const HEALTH_TONE: Readonly<Record<string, string>> = { connected: 'good', starting: 'warn', reconnecting: 'warn', failed: 'bad' };

function accountState(a: Account): { label: string; tone: string } {
  // The gateway's own word first: an account an operator stopped is "stopped", not "failed".
  if (a.healthState) return { label: a.healthState.replace(/-/g, ' '), tone: HEALTH_TONE[a.healthState] ?? 'subtle' };
  if (a.lastError && !a.running) return { label: 'failed', tone: 'bad' };
  if (a.connected) return { label: 'connected', tone: 'good' };
  if (a.running) return { label: 'connecting', tone: 'warn' };
  if (a.configured === false) return { label: 'not configured', tone: 'subtle' };
  return { label: 'stopped', tone: 'subtle' };
}

@customElement('oc-channels-view')
export class ChannelsView extends GatewayView {
  @state() private status: Status | undefined;
  @state() private pairing: Pairing[] = [];
  @state() private pairingError: string | undefined;
  @state() private notice: string | undefined;

  protected override listen(): void {
    this.on('channel.status', (e) => {
      const s = this.status;
      if (!s) return;
      const accounts = s.channelAccounts[e.channel] ?? [];
      const next = accounts.some((a) => a.accountId === e.accountId) ? accounts.map((a) => (a.accountId === e.accountId ? e.account : a)) : [...accounts, e.account];
      this.status = { ...s, channelAccounts: { ...s.channelAccounts, [e.channel]: next } };
    });
    this.on('channel.pairing.requested', () => void this.loadPairing());
    this.on('channel.pairing.resolved', () => void this.loadPairing());
  }

  protected async load(probe = false): Promise<void> {
    const [status] = await Promise.all([this.client.channels.status(probe ? { probe: true } : {}), this.loadPairing()]);
    this.status = status;
  }

  private async loadPairing(): Promise<void> {
    if (!this.client.hasMethod('channel.pairing.list')) return;
    try {
      this.pairing = (await this.client.channel.pairing.list()).channels;
      this.pairingError = undefined;
    } catch (error) {
      this.pairingError = (error as Error).message;
    }
  }

  private async account(action: 'start' | 'stop' | 'logout', channel: string, accountId: string): Promise<void> {
    const params = { channel, accountId };
    const ok = await this.act(() =>
      action === 'start' ? this.client.channels.start(params) : action === 'stop' ? this.client.channels.stop(params) : this.client.channels.logout(params),
    );
    if (ok) this.notice = `${channel}/${accountId}: ${action === 'logout' ? 'logged out' : action === 'start' ? 'started' : 'stopped'}.`;
  }

  private async approve(channel: string, code: string): Promise<void> {
    if (await this.act(() => this.client.channel.pairing.approve({ channel, code }), false)) {
      this.notice = `Approved pairing code ${code} on ${channel}.`;
      await this.loadPairing();
    }
  }

  private renderAccount(channel: string, a: Account) {
    const st = accountState(a);
    return html`<li class="card" data-account=${`${channel}/${a.accountId}`}>
      <header class="row"><strong class="grow">${a.name ?? a.accountId}</strong><span class="badge ${st.tone}">${st.label}</span></header>
      <dl class="facts">
        <dt>Account</dt><dd>${a.accountId}</dd>
        ${a.lastConnectedAt ? html`<dt>Connected</dt><dd>${formatAgo(a.lastConnectedAt)}</dd>` : nothing}
        ${a.lastInboundAt ? html`<dt>Last message in</dt><dd>${formatAgo(a.lastInboundAt)}</dd>` : nothing}
        ${a.dmPolicy ? html`<dt>DM policy</dt><dd>${a.dmPolicy}</dd>` : nothing}
        ${a.reconnectAttempts ? html`<dt>Reconnects</dt><dd>${a.reconnectAttempts}</dd>` : nothing}
        ${a.connections !== undefined ? html`<dt>Connections</dt><dd>${a.connections}</dd>` : nothing}
      </dl>
      ${a.lastError ? html`<p class="error-text">${a.lastError}</p>` : nothing}
      ${a.mode === 'internal'
        ? html`<p class="muted small">The gateway's own channel (this page is one of its clients): nothing to start or stop.</p>`
        : html`<div class="row wrap">
            ${a.running ? html`<button @click=${() => void this.account('stop', channel, a.accountId)}>Stop</button>` : html`<button class="primary" @click=${() => void this.account('start', channel, a.accountId)}>Start</button>`}
            ${confirmButton('Log out', 'Confirm log out', () => void this.account('logout', channel, a.accountId), 'danger')}
          </div>`}
    </li>`;
  }

  protected override render() {
    const s = this.status;
    const pending = this.pairing.flatMap((c) => c.requests.map((r) => ({ channel: c.channel, ...r })));
    return html`<section class="view channels-view" aria-label="Channels">
      <header class="view-head"><h1>Channels</h1><button @click=${() => void this.act(() => this.load(true), false)}>Probe now</button></header>
      ${this.renderError()}
      ${this.notice ? html`<p class="banner ok" role="status">${this.notice}</p>` : nothing}
      ${s?.warnings?.length ? html`<ul class="banner warn">${s.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
      ${!s
        ? html`<p class="muted">${this.loading ? 'Loading…' : ''}</p>`
        : s.channelOrder.length === 0
          ? html`<p class="empty">No channels are configured. Add one under <code>channels</code> in the config (for example <code>channels.irc</code>).</p>`
          : s.channelOrder.map(
              (id) => html`<h2>${s.channelLabels[id] ?? id}</h2>
                <ul class="cards">${(s.channelAccounts[id] ?? []).map((a) => this.renderAccount(id, a))}</ul>
                ${(s.channelAccounts[id] ?? []).length === 0 ? html`<p class="muted">No accounts.</p>` : nothing}`,
            )}
      <h2>Pairing requests</h2>
      ${this.pairingError ? html`<p class="banner error">${this.pairingError}</p>` : nothing}
      ${pending.length === 0
        ? html`<p class="empty">No one is waiting to be paired. Unknown senders who write to a channel account get a code that shows up here.</p>`
        : html`<ul class="cards">${pending.map(
            (p) => html`<li class="card"><strong>${p.id}</strong> on ${p.channel} · code <code>${p.code}</code> · ${formatAgo(Date.parse(p.lastSeenAt))}
              <div class="row"><button class="primary" @click=${() => void this.approve(p.channel, p.code)}>Approve</button></div></li>`,
          )}</ul>`}
    </section>`;
  }
}
