// openclaw.json: a form generated from `config.schema` (saved as a merge patch with config.patch)
// and the raw JSON5 text (saved with config.set), both against the hash the file had when it was
// read (`baseHash`), so an edit made meanwhile elsewhere is never overwritten.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { isGatewayError } from '../../../clients/runtime/gateway-error.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { describeError } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';
import { routeHref } from '../app/router.js';
import './config-form.js';
import type { ConfigIssue, UiHint } from './config-form.js';
import { mergePatchBetween, type SchemaNode } from './json-schema-walk.js';

type Snapshot = GatewayMethods['config.get']['result'];

@customElement('oc-config-view')
export class ConfigView extends GatewayView {
  @state() private snapshot: Snapshot | undefined;
  @state() private schema: SchemaNode | undefined;
  @state() private hints: Readonly<Record<string, UiHint>> = {};
  @state() private draft: Record<string, unknown> = {};
  @state() private raw = '';
  @state() private issues: readonly ConfigIssue[] = [];
  @state() private saved: string | undefined;
  @state() private conflict = false;
  @state() private saving = false;

  private get mode(): 'form' | 'raw' {
    return this.params.mode === 'raw' ? 'raw' : 'form';
  }

  protected override paramsChanged(): boolean {
    return false;
  }

  protected async load(): Promise<void> {
    const [snapshot, schema] = await Promise.all([this.client.config.get(), this.schema ? undefined : this.client.config.schema()]);
    if (schema) {
      this.schema = schema.schema as SchemaNode;
      this.hints = schema.uiHints;
    }
    this.snapshot = snapshot;
    this.draft = structuredClone((snapshot.parsed ?? {}) as Record<string, unknown>);
    this.raw = snapshot.raw ?? '';
    this.issues = snapshot.valid ? [] : snapshot.issues;
    this.conflict = false;
  }

  private async write(action: () => Promise<GatewayMethods['config.patch']['result']>): Promise<void> {
    this.saving = true;
    this.saved = undefined;
    try {
      const result = await action();
      const restart = result.restartRequired?.length ? ` Restart the gateway for: ${result.restartRequired.join(', ')}.` : '';
      await this.refresh();
      this.saved = result.noop ? 'Nothing changed.' : `Saved and applied.${restart}`;
    } catch (error) {
      this.issues = [];
      if (isGatewayError(error) && error.detailCode === 'CONFIG_INVALID') {
        const issues = (error.details as { issues?: ConfigIssue[] } | undefined)?.issues;
        this.issues = issues?.length ? issues : [{ path: '', message: error.message }];
        this.error = 'The gateway refused the config; see the fields marked below.';
      } else if (isGatewayError(error) && error.detailCode === 'BASE_HASH_MISMATCH') {
        this.conflict = true;
        this.error = 'openclaw.json changed since it was loaded (someone else saved it). Reload to see the current file, then make your change again.';
      } else this.error = describeError(error);
    } finally {
      this.saving = false;
    }
  }

  private saveForm(): void {
    const form = this.querySelector('oc-config-form');
    if (form && !form.valid) {
      this.error = 'Fix the fields that are not valid JSON first.';
      return;
    }
    const patch = mergePatchBetween(this.snapshot?.parsed ?? {}, this.draft);
    if (patch === undefined) {
      this.saved = 'Nothing changed.';
      return;
    }
    void this.write(() => this.client.config.patch({ raw: JSON.stringify(patch), ...this.baseHash() }));
  }

  private saveRaw(): void {
    void this.write(() => this.client.config.set({ raw: this.raw, ...this.baseHash() }));
  }

  private baseHash(): { baseHash?: string } {
    return this.snapshot?.hash ? { baseHash: this.snapshot.hash } : {};
  }

  private renderHeader() {
    const s = this.snapshot;
    return html`<header class="view-head">
      <h1>Config</h1>
      <div class="tabs" role="tablist">
        <a role="tab" href=${routeHref('config')} aria-selected=${this.mode === 'form' ? 'true' : 'false'}>Form</a>
        <a role="tab" href=${routeHref('config', { mode: 'raw' })} aria-selected=${this.mode === 'raw' ? 'true' : 'false'}>Raw JSON5</a>
      </div>
      ${s ? html`<p class="muted small">${s.path}${s.hash ? html` · hash <code>${s.hash.slice(0, 12)}</code>` : ' · not created yet'}</p>` : nothing}
    </header>`;
  }

  protected override render() {
    const s = this.snapshot;
    return html`<section class="view config-view" aria-label="Config">
      ${this.renderHeader()}
      ${this.renderError()}
      ${this.conflict ? html`<button @click=${() => void this.refresh()}>Reload</button>` : nothing}
      ${this.saved ? html`<p class="banner ok" role="status">${this.saved}</p>` : nothing}
      ${s && !s.valid ? html`<p class="banner warn">The file on disk is not valid; the gateway keeps running with the last valid config. Fix it in the raw editor.</p>` : nothing}
      ${!s || !this.schema
        ? html`<p class="muted">Loading…</p>`
        : this.mode === 'raw'
          ? html`<div class="raw-editor">
              <label for="config-raw">openclaw.json (JSON5; secrets show as <code>__OPENCLAW_REDACTED__</code> and are kept when left so)</label>
              <textarea id="config-raw" class="code" rows="24" spellcheck="false" .value=${this.raw} @input=${(e: Event) => (this.raw = (e.target as HTMLTextAreaElement).value)}></textarea>
              ${this.issues.length
                ? html`<ul class="field-errors" role="alert">${this.issues.map((i) => html`<li><code>${i.path || '(file)'}</code>: ${i.message}</li>`)}</ul>`
                : nothing}
              <div class="row"><button class="primary" ?disabled=${this.saving} @click=${() => this.saveRaw()}>Save</button>
                <button @click=${() => void this.refresh()}>Revert</button></div>
            </div>`
          : html`<oc-config-form .schema=${this.schema} .value=${this.draft} .hints=${this.hints} .issues=${this.issues}
                @form-change=${() => (this.saved = undefined)}></oc-config-form>
              <div class="row sticky-actions"><button class="primary" ?disabled=${this.saving} @click=${() => this.saveForm()}>Save</button>
                <button @click=${() => void this.refresh()}>Revert</button></div>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'oc-config-form': import('./config-form.js').ConfigForm;
  }
}
