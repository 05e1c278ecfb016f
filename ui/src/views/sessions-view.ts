// Sessions: search and page through them, preview the last messages, set label / model / thinking
// level, reset, compact or delete one, and see what each one used (tokens, cost).
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { navigate, routeHref } from '../app/router.js';
import { formatAgo, formatTokens, formatUsd } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';
import { confirmButton } from '../shared/confirm-button.js';

type SessionRow = GatewayMethods['sessions.list']['result']['sessions'][number];
type Preview = GatewayMethods['sessions.preview']['result']['previews'][number];
type Model = GatewayMethods['models.list']['result']['models'][number];

const PAGE_SIZE = 25;
export const THINKING_LEVELS = ['off', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

@customElement('oc-sessions-view')
export class SessionsView extends GatewayView {
  @state() private rows: SessionRow[] = [];
  @state() private hasMore = false;
  @state() private search = '';
  @state() private page = 0;
  @state() private selected: string | undefined;
  @state() private preview: Preview | undefined;
  @state() private models: Model[] = [];
  @state() private notice: string | undefined;

  protected override listen(): void {
    this.refreshOn('sessions.changed');
  }

  protected async load(): Promise<void> {
    const want = (this.page + 1) * PAGE_SIZE;
    const [list, models] = await Promise.all([
      this.client.sessions.list({ limit: want + 1, includeDerivedTitles: true, includeLastMessage: true, ...(this.search ? { search: this.search } : {}) }),
      this.models.length ? undefined : this.client.models.list().catch(() => undefined),
    ]);
    if (models) this.models = models.models;
    this.hasMore = list.sessions.length > want;
    this.rows = list.sessions.slice(this.page * PAGE_SIZE, want);
    if (this.selected) await this.loadPreview(this.selected);
  }

  private async loadPreview(key: string): Promise<void> {
    const result = await this.client.sessions.preview({ keys: [key], limit: 8, maxChars: 400 });
    this.preview = result.previews[0];
  }

  private select(key: string): void {
    this.selected = key;
    this.notice = undefined;
    this.preview = undefined;
    void this.act(() => this.loadPreview(key), false);
  }

  private setSearch(value: string): void {
    this.search = value;
    this.page = 0;
    void this.refresh();
  }

  private goPage(delta: number): void {
    this.page = Math.max(0, this.page + delta);
    void this.refresh();
  }

  private async patch(key: string, form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const text = (name: string): string | null => {
      const v = String(data.get(name) ?? '').trim();
      return v === '' ? null : v;
    };
    const ok = await this.act(() => this.client.sessions.patch({ key, label: text('label'), model: text('model'), thinkingLevel: text('thinkingLevel') }));
    if (ok) this.notice = 'Saved.';
  }

  private async run(label: string, action: () => Promise<unknown>): Promise<void> {
    if (await this.act(action)) this.notice = label;
  }

  private async compact(key: string): Promise<void> {
    let outcome = '';
    const ok = await this.act(async () => {
      const r = await this.client.sessions.compact({ key });
      outcome = r.compacted ? 'Compacted: the older messages are now a summary (the full transcript is archived).' : `Nothing to compact: ${r.reason ?? 'the transcript is short'}.`;
    });
    if (ok) this.notice = outcome;
  }

  private renderDetail(row: SessionRow) {
    const key = row.key;
    return html`<aside class="detail" aria-label=${`Session ${key}`}>
      <header class="row"><h2 class="grow">${row.label ?? row.derivedTitle ?? key}</h2><button class="link" @click=${() => (this.selected = undefined)}>Close</button></header>
      <p class="muted small"><code>${key}</code></p>
      ${this.notice ? html`<p class="banner ok" role="status">${this.notice}</p>` : nothing}
      <dl class="facts">
        <dt>Updated</dt><dd>${formatAgo(row.updatedAt)}</dd>
        <dt>Model</dt><dd>${row.model ? `${row.modelProvider ?? ''}${row.modelProvider ? '/' : ''}${row.model}` : 'default'}</dd>
        <dt>Tokens</dt><dd>${formatTokens(row.inputTokens)} in · ${formatTokens(row.outputTokens)} out · ${formatTokens(row.totalTokens)} total</dd>
        <dt>Cost</dt><dd>${formatUsd(row.estimatedCostUsd)}</dd>
        ${row.status ? html`<dt>Last run</dt><dd>${row.status}</dd>` : nothing}
      </dl>
      <h3>Preview</h3>
      ${!this.preview
        ? html`<p class="muted">Loading…</p>`
        : this.preview.items.length === 0
          ? html`<p class="muted">${this.preview.status === 'empty' ? 'No messages yet.' : this.preview.status}</p>`
          : html`<ol class="preview">${this.preview.items.map((i) => html`<li><span class="role">${i.role}</span> ${i.text}</li>`)}</ol>`}
      <h3>Settings</h3>
      <form class="stack" @submit=${(e: Event) => (e.preventDefault(), void this.patch(key, e.target as HTMLFormElement))}>
        <label>Label <input name="label" .value=${row.label ?? ''} maxlength="512"></label>
        <label>Model
          <select name="model">
            <option value="" ?selected=${!row.model}>(agent default)</option>
            ${this.models.map((m) => {
              const ref = `${m.provider}/${m.id}`;
              return html`<option value=${ref} ?selected=${row.model === m.id || row.model === ref}>${m.name} (${ref})</option>`;
            })}
          </select>
        </label>
        <label>Thinking level
          <select name="thinkingLevel">
            <option value="" ?selected=${!row.thinkingLevel}>(default)</option>
            ${THINKING_LEVELS.map((l) => html`<option value=${l} ?selected=${row.thinkingLevel === l}>${l}</option>`)}
          </select>
        </label>
        <button class="primary" type="submit">Save settings</button>
      </form>
      <h3>Actions</h3>
      <div class="row wrap">
        <a class="button" href=${routeHref('chat', { session: key })}>Open in chat</a>
        ${confirmButton('Reset', 'Confirm reset', () => void this.run('Reset: a fresh transcript was started (the old one is archived).', () => this.client.sessions.reset({ key, reason: 'reset' })))}
        ${confirmButton('Compact', 'Confirm compact', () => void this.compact(key))}
        ${confirmButton('Delete', 'Confirm delete', () =>
          void this.act(async () => {
            await this.client.sessions.delete({ key });
            this.selected = undefined;
          }),
        'danger')}
      </div>
    </aside>`;
  }

  protected override render() {
    const selected = this.rows.find((r) => r.key === this.selected);
    return html`<section class="view sessions-view" aria-label="Sessions">
      <header class="view-head">
        <h1>Sessions</h1>
        <input type="search" aria-label="Search sessions" placeholder="Search key, label or title" .value=${this.search}
          @change=${(e: Event) => this.setSearch((e.target as HTMLInputElement).value.trim())}>
      </header>
      ${this.renderError()}
      <div class="split ${selected ? 'with-detail' : ''}">
        <div class="table-wrap">
          <table>
            <thead><tr><th>Session</th><th>Updated</th><th class="num">Tokens</th><th class="num">Cost</th></tr></thead>
            <tbody>
              ${this.rows.length === 0 ? html`<tr><td colspan="4" class="empty">${this.loading ? 'Loading…' : 'No sessions.'}</td></tr>` : nothing}
              ${this.rows.map(
                (r) => html`<tr class=${r.key === this.selected ? 'selected' : ''}>
                  <td><button class="link row-link" @click=${() => this.select(r.key)}>${r.label ?? r.derivedTitle ?? r.displayName ?? r.key}</button>
                    <div class="muted small ellipsis">${r.key}${r.lastMessagePreview ? ` — ${r.lastMessagePreview}` : ''}</div></td>
                  <td>${formatAgo(r.updatedAt)}</td>
                  <td class="num">${formatTokens(r.totalTokens)}</td>
                  <td class="num">${formatUsd(r.estimatedCostUsd)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            <button ?disabled=${this.page === 0} @click=${() => this.goPage(-1)}>Previous</button>
            <span>Page ${this.page + 1}</span>
            <button ?disabled=${!this.hasMore} @click=${() => this.goPage(1)}>Next</button>
            <button @click=${() => navigate('chat')}>New chat</button>
          </nav>
        </div>
        ${selected ? this.renderDetail(selected) : nothing}
      </div>
    </section>`;
  }
}
