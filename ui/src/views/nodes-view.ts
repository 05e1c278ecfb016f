// Nodes: the devices connected with role `node`, as the gateway reports them in presence (hello-ok
// snapshot, then `presence` events). This gateway has no node.* methods yet; the view says what the
// gateway offers instead of guessing.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PresenceEntry } from '../../../contract/schemas/connect.js';
import { formatAgo } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';

const isNode = (p: PresenceEntry): boolean => p.mode === 'node' || (p.roles ?? []).includes('node');

@customElement('oc-nodes-view')
export class NodesView extends GatewayView {
  @state() private presence: PresenceEntry[] = [];

  protected override listen(): void {
    this.on('presence', (e) => (this.presence = e.presence));
  }

  protected async load(): Promise<void> {
    this.presence = this.client.hello?.snapshot.presence ?? [];
  }

  protected override render() {
    const nodes = this.presence.filter(isNode);
    const nodeMethods = (this.client.hello?.features.methods ?? []).filter((m) => m.startsWith('node.'));
    return html`<section class="view nodes-view" aria-label="Nodes">
      <header class="view-head"><h1>Nodes</h1></header>
      ${nodeMethods.length === 0
        ? html`<div class="banner unavailable" role="status"><strong>Node management is not available on this gateway.</strong>
            <p>Its hello-ok offers no <code>node.*</code> methods; connected nodes still show below, from presence.</p></div>`
        : html`<p class="muted small">Node methods offered: ${nodeMethods.join(', ')}</p>`}
      ${nodes.length === 0
        ? html`<p class="empty">No nodes are connected. A node host connects with role "node" and appears here.</p>`
        : html`<div class="table-wrap"><table>
            <thead><tr><th>Node</th><th>Platform</th><th>Version</th><th>Seen</th></tr></thead>
            <tbody>${nodes.map(
              (n) => html`<tr><td><strong>${n.host ?? n.instanceId ?? n.deviceId ?? 'node'}</strong>${n.text ? html`<div class="muted small">${n.text}</div>` : nothing}</td>
                <td>${n.platform ?? '—'}${n.deviceFamily ? ` (${n.deviceFamily})` : ''}</td><td>${n.version ?? '—'}</td><td>${formatAgo(n.ts)}</td></tr>`,
            )}</tbody></table></div>`}
      <h2>Connected clients</h2>
      <ul class="plain-list">${this.presence.map(
        (p) => html`<li><strong>${p.host ?? p.instanceId ?? 'client'}</strong> <span class="muted">${p.mode ?? ''} ${p.platform ?? ''} ${p.version ?? ''}</span> · ${formatAgo(p.ts)}</li>`,
      )}</ul>
    </section>`;
  }
}
