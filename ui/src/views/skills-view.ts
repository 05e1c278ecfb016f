// Skills: what each agent has (skills.status), why a skill is not eligible (missing programs, env,
// config), enable/disable and its API key (skills.update), and its installers (skills.install).
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { GatewayView } from '../shared/gateway-view.js';

type Status = GatewayMethods['skills.status']['result'];
type Skill = Status['skills'][number];
type InstallResult = GatewayMethods['skills.install']['result'];

const missingText = (s: Skill): string[] => {
  const m = s.missing;
  return [
    ...m.bins.map((b) => `program ${b}`),
    ...(m.anyBins.length ? [`one of ${m.anyBins.join(', ')}`] : []),
    ...m.env.map((e) => `env ${e}`),
    ...m.config.map((c) => `config ${c}`),
    ...m.os.map((o) => `OS ${o}`),
  ];
};

@customElement('oc-skills-view')
export class SkillsView extends GatewayView {
  @state() private status: Status | undefined;
  @state() private agents: { id: string; name?: string | undefined }[] = [];
  @state() private installs = new Map<string, InstallResult | 'running'>();
  @state() private notice: string | undefined;

  private get agentId(): string | undefined {
    return this.params.agent;
  }

  protected override listen(): void {
    this.on('skills.changed', (e) => {
      if (!this.agentId || e.agentId === this.agentId) void this.refresh();
    });
  }

  protected async load(): Promise<void> {
    const [status, agents] = await Promise.all([this.client.skills.status(this.agentId ? { agentId: this.agentId } : {}), this.client.agents.list()]);
    this.status = status;
    this.agents = agents.agents;
  }

  private async toggle(skill: Skill): Promise<void> {
    if (await this.act(() => this.client.skills.update({ skillKey: skill.skillKey, enabled: skill.disabled }))) {
      this.notice = `${skill.name} ${skill.disabled ? 'enabled' : 'disabled'}.`;
    }
  }

  private async setKey(skill: Skill, form: HTMLFormElement): Promise<void> {
    const apiKey = String(new FormData(form).get('apiKey') ?? '').trim();
    if (!apiKey) return;
    if (await this.act(() => this.client.skills.update({ skillKey: skill.skillKey, apiKey }))) {
      form.reset();
      this.notice = `API key for ${skill.name} saved.`;
    }
  }

  private async install(skill: Skill, installId: string): Promise<void> {
    const key = `${skill.name}:${installId}`;
    this.installs = new Map(this.installs).set(key, 'running');
    try {
      const result = await this.client.skills.install({ name: skill.name, installId }, { timeoutMs: 10 * 60_000 });
      this.installs = new Map(this.installs).set(key, result);
      if (result.ok) await this.refresh();
    } catch (error) {
      this.installs = new Map(this.installs).set(key, { ok: false, message: (error as Error).message, stdout: '', stderr: '', code: null });
    }
  }

  private renderSkill(s: Skill) {
    const missing = missingText(s);
    return html`<li class="card" data-skill=${s.skillKey}>
      <header class="row"><strong class="grow">${s.emoji ?? ''} ${s.name}</strong>
        <span class="badge ${s.eligible ? 'good' : s.disabled ? 'subtle' : 'warn'}">${s.eligible ? 'ready' : s.disabled ? 'disabled' : s.blockedByAllowlist ? 'blocked' : 'needs setup'}</span></header>
      <p>${s.description}</p>
      <p class="muted small">${s.source}${s.bundled ? ' (bundled)' : ''} · <code>${s.skillKey}</code></p>
      ${missing.length ? html`<p class="small">Missing: ${missing.join(', ')}</p>` : nothing}
      <div class="row wrap">
        <button @click=${() => void this.toggle(s)}>${s.disabled ? 'Enable' : 'Disable'}</button>
        ${s.install.map((opt) => {
          const run = this.installs.get(`${s.name}:${opt.id}`);
          return html`<button ?disabled=${run === 'running'} @click=${() => void this.install(s, opt.id)}>${run === 'running' ? 'Installing…' : opt.label}</button>`;
        })}
      </div>
      ${s.primaryEnv
        ? html`<form class="row" @submit=${(e: Event) => (e.preventDefault(), void this.setKey(s, e.target as HTMLFormElement))}>
            <label class="grow">${s.primaryEnv} <input name="apiKey" type="password" autocomplete="off"></label><button type="submit">Save key</button></form>`
        : nothing}
      ${s.install.map((opt) => {
        const run = this.installs.get(`${s.name}:${opt.id}`);
        if (!run || run === 'running') return nothing;
        return html`<details class="tool-step" open><summary>${opt.label}: ${run.ok ? 'installed' : 'failed'}</summary><p>${run.message}</p>
          ${run.warnings?.length ? html`<ul>${run.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
          ${run.stdout || run.stderr ? html`<pre>${run.stdout}${run.stderr}</pre>` : nothing}</details>`;
      })}
    </li>`;
  }

  protected override render() {
    const s = this.status;
    return html`<section class="view skills-view" aria-label="Skills">
      <header class="view-head"><h1>Skills</h1>
        <label>Agent <select @change=${(e: Event) => (location.hash = `#/skills?agent=${encodeURIComponent((e.target as HTMLSelectElement).value)}`)}>
          <option value="" ?selected=${!this.agentId}>default agent</option>
          ${this.agents.map((a) => html`<option value=${a.id} ?selected=${a.id === this.agentId}>${a.name ?? a.id}</option>`)}
        </select></label></header>
      ${this.renderError()}
      ${this.notice ? html`<p class="banner ok" role="status">${this.notice}</p>` : nothing}
      ${s ? html`<p class="muted small">Workspace skills in ${s.workspaceDir}/skills · managed in ${s.managedSkillsDir}</p>` : nothing}
      ${s && s.skills.length === 0 ? html`<p class="empty">No skills found.</p>` : nothing}
      <ul class="cards">${(s?.skills ?? []).map((k) => this.renderSkill(k))}</ul>
    </section>`;
  }
}
