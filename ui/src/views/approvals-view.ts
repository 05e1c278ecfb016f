// Exec approvals: commands agents wait to run (live from exec.approval.requested / resolved), each
// with allow once / allow always / deny as the request offers them; and the standing rules
// (exec.approvals.overrides) with the policy defaults, to add or remove a rule.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { confirmButton } from '../shared/confirm-button.js';
import { formatAgo } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';

type Entry = GatewayMethods['exec.approvals.list']['result'][number];
type Overrides = GatewayMethods['exec.approvals.overrides']['result'];
type Decision = Entry['request']['allowedDecisions'][number];

const DECISION_LABEL: Record<Decision, string> = { 'allow-once': 'Allow once', 'allow-always': 'Allow always', deny: 'Deny' };

@customElement('oc-approvals-view')
export class ApprovalsView extends GatewayView {
  @state() private pending: Entry[] = [];
  @state() private rules: Overrides | undefined;
  @state() private rulesError: string | undefined;
  @state() private recent: { id: string; command: string; decision: string; by: string | null }[] = [];
  private clock: ReturnType<typeof setInterval> | undefined;

  protected override listen(): void {
    this.on('exec.approval.requested', (e) => {
      if (!this.pending.some((p) => p.id === e.id)) this.pending = [...this.pending, e];
    });
    this.on('exec.approval.resolved', (e) => {
      this.pending = this.pending.filter((p) => p.id !== e.id);
      this.recent = [{ id: e.id, command: e.request.command, decision: e.decision, by: e.resolvedBy }, ...this.recent].slice(0, 10);
      if (e.decision === 'allow-always') void this.loadRules();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // "expires in" stays current without a reload.
    this.clock = setInterval(() => this.requestUpdate(), 15_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  protected async load(): Promise<void> {
    const [pending] = await Promise.all([this.client.exec.approvals.list(), this.loadRules()]);
    this.pending = pending;
  }

  private async loadRules(): Promise<void> {
    try {
      this.rules = await this.client.exec.approvals.overrides();
      this.rulesError = undefined;
    } catch (error) {
      this.rulesError = (error as Error).message;
    }
  }

  private async resolve(id: string, decision: Decision): Promise<void> {
    const ok = await this.act(() => this.client.exec.approvals.resolve({ id, decision }), false);
    if (ok) this.pending = this.pending.filter((p) => p.id !== id);
  }

  private async addRule(form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const pattern = String(data.get('pattern') ?? '').trim();
    if (!pattern) return;
    const argPattern = String(data.get('argPattern') ?? '').trim();
    const agentId = String(data.get('agentId') ?? '').trim();
    const decision = data.get('decision') === 'deny' ? 'deny' : 'allow';
    const ok = await this.act(
      () =>
        this.client.exec.approvals.overrides.set({
          pattern,
          decision,
          ...(argPattern ? { argPattern } : {}),
          ...(agentId ? { agentId } : {}),
          ...(this.rules?.hash ? { baseHash: this.rules.hash } : {}),
        }),
      false,
    );
    if (ok) {
      form.reset();
      await this.loadRules();
    }
  }

  private async removeRule(rule: Overrides['overrides'][number]): Promise<void> {
    const ok = await this.act(
      () =>
        this.client.exec.approvals.overrides.set({
          pattern: rule.pattern,
          decision: null,
          ...(rule.argPattern ? { argPattern: rule.argPattern } : {}),
          ...(rule.agentId ? { agentId: rule.agentId } : {}),
          ...(this.rules?.hash ? { baseHash: this.rules.hash } : {}),
        }),
      false,
    );
    if (ok) await this.loadRules();
  }

  private renderRequest(entry: Entry) {
    const r = entry.request;
    return html`<li class="card approval" data-approval-id=${entry.id}>
      <pre class="command">${r.commandPreview ?? r.command}</pre>
      <dl class="facts">
        ${r.agentId ? html`<dt>Agent</dt><dd>${r.agentId}</dd>` : nothing}
        ${r.sessionKey ? html`<dt>Session</dt><dd><code>${r.sessionKey}</code></dd>` : nothing}
        ${r.cwd ? html`<dt>Folder</dt><dd><code>${r.cwd}</code></dd>` : nothing}
        ${r.resolvedPath ? html`<dt>Program</dt><dd><code>${r.resolvedPath}</code></dd>` : nothing}
        ${r.host ? html`<dt>Host</dt><dd>${r.host}${r.nodeId ? ` (${r.nodeId})` : ''}</dd>` : nothing}
        <dt>Asked</dt><dd>${formatAgo(entry.createdAtMs)}</dd>
        <dt>Expires</dt><dd>${formatAgo(entry.expiresAtMs)}</dd>
      </dl>
      ${r.reasons?.length ? html`<ul class="reasons">${r.reasons.map((why) => html`<li>${why}</li>`)}</ul>` : nothing}
      ${r.envKeys?.length ? html`<p class="muted small">Environment: ${r.envKeys.join(', ')}</p>` : nothing}
      <div class="row wrap">
        ${r.allowedDecisions.map(
          (d) => html`<button class=${d === 'deny' ? 'danger' : d === 'allow-once' ? 'primary' : ''} @click=${() => void this.resolve(entry.id, d)}>${DECISION_LABEL[d]}</button>`,
        )}
      </div>
    </li>`;
  }

  private renderRules() {
    if (this.rulesError) return html`<p class="banner error">${this.rulesError}</p>`;
    const rules = this.rules;
    if (!rules) return html`<p class="muted">Loading…</p>`;
    return html`${rules.invalid ? html`<p class="banner error" role="alert">The rules file cannot be read (${rules.invalid}); every command is denied until it is fixed or replaced.</p>` : nothing}
      <p class="muted small">${rules.path} · security <strong>${rules.defaults.security ?? 'allowlist'}</strong>, ask <strong>${rules.defaults.ask ?? 'on-miss'}</strong>, when nobody can be asked <strong>${rules.defaults.askFallback ?? 'deny'}</strong></p>
      <div class="table-wrap"><table>
        <thead><tr><th>Program</th><th>Arguments</th><th>Decision</th><th>Agent</th><th></th></tr></thead>
        <tbody>
          ${rules.overrides.length === 0 ? html`<tr><td colspan="5" class="empty">No standing rules.</td></tr>` : nothing}
          ${rules.overrides.map(
            (o) => html`<tr><td><code>${o.pattern}</code></td><td>${o.argPattern ? html`<code>${o.argPattern}</code>` : html`<span class="muted">any</span>`}</td>
              <td><span class="badge ${o.decision === 'deny' ? 'bad' : 'good'}">${o.decision}</span></td><td>${o.agentId ?? 'all agents'}</td>
              <td>${confirmButton('Remove', 'Confirm remove', () => void this.removeRule(o))}</td></tr>`,
          )}
        </tbody>
      </table></div>
      <form class="grid-form" aria-label="Add a rule" @submit=${(e: Event) => (e.preventDefault(), void this.addRule(e.target as HTMLFormElement))}>
        <label>Program <input name="pattern" required placeholder="/usr/bin/git or git"></label>
        <label>Arguments <input name="argPattern" placeholder="status * (optional)"></label>
        <label>Decision <select name="decision"><option value="allow">allow</option><option value="deny">deny</option></select></label>
        <label>Agent <input name="agentId" placeholder="all agents"></label>
        <button class="primary" type="submit">Add rule</button>
      </form>`;
  }

  protected override render() {
    return html`<section class="view approvals-view" aria-label="Approvals">
      <header class="view-head"><h1>Approvals</h1></header>
      ${this.renderError()}
      <h2>Waiting for a decision <span class="badge">${this.pending.length}</span></h2>
      ${this.pending.length === 0 ? html`<p class="empty">Nothing is waiting. Requests appear here as soon as an agent asks.</p>` : html`<ul class="cards">${this.pending.map((p) => this.renderRequest(p))}</ul>`}
      ${this.recent.length
        ? html`<h3>Just decided</h3><ul class="plain-list">${this.recent.map((r) => html`<li><code>${r.command}</code> — ${r.decision}${r.by ? ` by ${r.by}` : ''}</li>`)}</ul>`
        : nothing}
      <h2>Standing rules</h2>
      ${this.renderRules()}
    </section>`;
  }
}
