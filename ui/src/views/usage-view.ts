// Usage: tokens and cost per day over a chosen range (usage.cost) as a chart, with the range's
// totals per model and the sessions that used the most; provider windows and all-time totals
// from usage.status.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { routeHref } from '../app/router.js';
import { formatTokens, formatUsd } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';
import { renderUsageChart } from './usage-chart.js';

type Cost = GatewayMethods['usage.cost']['result'];
type Status = GatewayMethods['usage.status']['result'];

const RANGES = [7, 30, 90] as const;

@customElement('oc-usage-view')
export class UsageView extends GatewayView {
  @state() private cost: Cost | undefined;
  @state() private status: Status | undefined;

  private get days(): number {
    const n = Number(this.params.days);
    return RANGES.includes(n as (typeof RANGES)[number]) ? n : 30;
  }

  protected override listen(): void {
    // A finished run adds usage; refresh the figures when a session reports it.
    this.on('sessions.changed', (e) => {
      if (e.usage) void this.refresh();
    });
  }

  protected async load(): Promise<void> {
    const [cost, status] = await Promise.all([this.client.usage.cost({ days: this.days }), this.client.usage.status()]);
    this.cost = cost;
    this.status = status;
  }

  protected override render() {
    const c = this.cost;
    const t = c?.totals;
    return html`<section class="view usage-view" aria-label="Usage">
      <header class="view-head"><h1>Usage</h1>
        <div class="tabs" role="tablist">${RANGES.map((d) => html`<a role="tab" href=${routeHref('usage', { days: String(d) })} aria-selected=${d === this.days ? 'true' : 'false'}>${d} days</a>`)}</div></header>
      ${this.renderError()}
      ${t
        ? html`<div class="stats">
            <div class="stat"><span class="muted">Tokens</span><strong>${formatTokens(t.totalTokens)}</strong></div>
            <div class="stat"><span class="muted">Input</span><strong>${formatTokens(t.input)}</strong></div>
            <div class="stat"><span class="muted">Output</span><strong>${formatTokens(t.output)}</strong></div>
            <div class="stat"><span class="muted">Cost</span><strong>${formatUsd(t.totalCost)}</strong></div>
          </div>
          ${t.missingCostEntries ? html`<p class="muted small">${t.missingCostEntries} runs used models without a price (models.providers.*.models[].cost); they count tokens but no cost.</p>` : nothing}`
        : nothing}
      ${c ? renderUsageChart(c.daily) : html`<p class="muted">${this.loading ? 'Loading…' : ''}</p>`}
      ${c?.byModel?.length
        ? html`<h2>By model</h2><div class="table-wrap"><table><thead><tr><th>Model</th><th class="num">Tokens</th><th class="num">Cost</th></tr></thead>
            <tbody>${c.byModel.map((m) => html`<tr><td>${m.provider}/${m.model}</td><td class="num">${formatTokens(m.totalTokens)}</td><td class="num">${formatUsd(m.totalCost)}</td></tr>`)}</tbody></table></div>`
        : nothing}
      ${c?.bySession?.length
        ? html`<h2>Top sessions</h2><div class="table-wrap"><table><thead><tr><th>Session</th><th class="num">Tokens</th><th class="num">Cost</th></tr></thead>
            <tbody>${c.bySession.slice(0, 10).map(
              (s) => html`<tr><td><a href=${routeHref('chat', { session: s.sessionKey })}>${s.sessionKey}</a></td><td class="num">${formatTokens(s.totalTokens)}</td><td class="num">${formatUsd(s.totalCost)}</td></tr>`,
            )}</tbody></table></div>`
        : nothing}
      ${this.status?.providers.length
        ? html`<h2>Providers</h2><ul class="plain-list">${this.status.providers.map(
            (p) => html`<li><strong>${p.displayName}</strong> ${p.plan ?? ''} ${p.error ? html`<span class="error-text">${p.error}</span>` : nothing}
              ${p.windows.map((w) => html` · ${w.label} ${Math.round(w.usedPercent)}%`)}</li>`,
          )}</ul>`
        : nothing}
      ${this.status?.totals ? html`<p class="muted small">All time: ${formatTokens(this.status.totals.totalTokens)} tokens, ${formatUsd(this.status.totals.totalCost)}.</p>` : nothing}
    </section>`;
  }
}
