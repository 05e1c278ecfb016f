// Agents: the configured agents, a form to add one, edit or delete the selected one, and its
// workspace files (AGENTS.md, SOUL.md, MEMORY.md, memory/*.md…) through agents.files.*.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { navigate, routeHref } from '../app/router.js';
import { confirmButton } from '../shared/confirm-button.js';
import { formatAgo, formatBytes } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';

type AgentsList = GatewayMethods['agents.list']['result'];
type Agent = AgentsList['agents'][number];
type FileEntry = GatewayMethods['agents.files.list']['result']['files'][number];

const field = (data: FormData, name: string): string | undefined => {
  const v = String(data.get(name) ?? '').trim();
  return v === '' ? undefined : v;
};

@customElement('oc-agents-view')
export class AgentsView extends GatewayView {
  @state() private list: AgentsList | undefined;
  @state() private files: FileEntry[] = [];
  @state() private workspace = '';
  @state() private openFile: { name: string; content: string; missing: boolean } | undefined;
  @state() private notice: string | undefined;

  private get agentId(): string | undefined {
    return this.params.agent;
  }

  protected override paramsChanged(previous: Record<string, string>): boolean {
    if (previous.agent === this.params.agent) return false;
    this.openFile = undefined;
    this.notice = undefined;
    return true;
  }

  protected async load(): Promise<void> {
    this.list = await this.client.agents.list();
    const id = this.agentId;
    if (id && this.list.agents.some((a) => a.id === id)) {
      const files = await this.client.agents.files.list({ agentId: id });
      this.files = files.files;
      this.workspace = files.workspace;
    } else this.files = [];
  }

  private async create(form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const name = field(data, 'name');
    const workspace = field(data, 'workspace');
    if (!name || !workspace) return;
    const model = field(data, 'model');
    const emoji = field(data, 'emoji');
    let created = '';
    const ok = await this.act(async () => {
      created = (await this.client.agents.create({ name, workspace, ...(model ? { model } : {}), ...(emoji ? { emoji } : {}) })).agentId;
    }, false);
    if (ok) {
      form.reset();
      navigate('agents', { agent: created });
    }
  }

  private async saveAgent(agent: Agent, form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const changes: Record<string, string> = {};
    for (const key of ['name', 'workspace', 'model', 'emoji'] as const) {
      const v = field(data, key);
      if (v !== undefined) changes[key] = v;
    }
    if (await this.act(() => this.client.agents.update({ agentId: agent.id, ...changes }))) this.notice = 'Agent saved.';
  }

  private async deleteAgent(agent: Agent, deleteFiles: boolean): Promise<void> {
    if (await this.act(() => this.client.agents.delete({ agentId: agent.id, deleteFiles }), false)) navigate('agents');
  }

  private async open(name: string): Promise<void> {
    const id = this.agentId;
    if (!id) return;
    await this.act(async () => {
      const entry = this.files.find((f) => f.name === name);
      if (entry?.missing) {
        this.openFile = { name, content: '', missing: true };
        return;
      }
      const got = await this.client.agents.files.get({ agentId: id, name });
      this.openFile = { name, content: got.file.content ?? '', missing: got.file.missing };
    }, false);
  }

  private async saveFile(): Promise<void> {
    const id = this.agentId;
    const file = this.openFile;
    if (!id || !file) return;
    const content = (this.querySelector('#agent-file-content') as HTMLTextAreaElement).value;
    if (await this.act(() => this.client.agents.files.set({ agentId: id, name: file.name, content }))) {
      this.openFile = { name: file.name, content, missing: false };
      this.notice = `${file.name} saved.`;
    }
  }

  private renderAgent(agent: Agent) {
    const isDefault = agent.id === this.list?.defaultId;
    return html`<section class="card" aria-label=${`Agent ${agent.id}`}>
      <header class="row"><h2 class="grow">${agent.identity?.emoji ?? ''} ${agent.name ?? agent.id}</h2>${isDefault ? html`<span class="badge">default</span>` : nothing}</header>
      ${this.notice ? html`<p class="banner ok" role="status">${this.notice}</p>` : nothing}
      <form class="grid-form" @submit=${(e: Event) => (e.preventDefault(), void this.saveAgent(agent, e.target as HTMLFormElement))}>
        <label>Name <input name="name" .value=${agent.name ?? ''} maxlength="128"></label>
        <label>Workspace <input name="workspace" .value=${agent.workspace ?? ''}></label>
        <label>Model <input name="model" .value=${agent.model?.primary ?? ''} placeholder="provider/model (default)"></label>
        <label>Emoji <input name="emoji" .value=${agent.identity?.emoji ?? ''} maxlength="32"></label>
        <div class="row wrap"><button class="primary" type="submit">Save agent</button>
          <a class="button" href=${routeHref('chat', { session: `agent:${agent.id}:${this.list?.mainKey ?? 'main'}` })}>Chat</a>
          ${agent.id === 'main' ? nothing : confirmButton('Delete agent', 'Confirm: delete agent', () => void this.deleteAgent(agent, false), 'danger')}
        </div>
      </form>
      <h3>Workspace files</h3>
      <p class="muted small">${this.workspace}</p>
      <div class="split files">
        <ul class="file-list" aria-label="Files">
          ${this.files.map(
            (f) => html`<li><button class="link ${this.openFile?.name === f.name ? 'current' : ''}" @click=${() => void this.open(f.name)}>${f.name}</button>
              <span class="muted small">${f.missing ? 'not created' : `${formatBytes(f.size ?? 0)} · ${formatAgo(f.updatedAtMs)}`}</span></li>`,
          )}
        </ul>
        ${this.openFile
          ? html`<div class="file-editor">
              <label for="agent-file-content">${this.openFile.name}${this.openFile.missing ? ' (new file)' : ''}</label>
              <textarea id="agent-file-content" class="code" rows="18" spellcheck="false" .value=${this.openFile.content}></textarea>
              <div class="row"><button class="primary" @click=${() => void this.saveFile()}>Save file</button><button @click=${() => (this.openFile = undefined)}>Close</button></div>
            </div>`
          : html`<p class="muted">Pick a file to edit it.</p>`}
      </div>
    </section>`;
  }

  protected override render() {
    const agents = this.list?.agents ?? [];
    const current = agents.find((a) => a.id === this.agentId);
    return html`<section class="view agents-view" aria-label="Agents">
      <header class="view-head"><h1>Agents</h1></header>
      ${this.renderError()}
      <div class="split with-detail">
        <div>
          <ul class="cards">
            ${agents.map(
              (a) => html`<li><a class="card-link ${a.id === this.agentId ? 'current' : ''}" href=${routeHref('agents', { agent: a.id })}>
                <strong>${a.identity?.emoji ?? ''} ${a.name ?? a.id}</strong> <span class="muted small">${a.id}</span>
                <div class="muted small ellipsis">${a.workspace ?? ''}</div><div class="muted small">${a.model?.primary ?? 'default model'}</div></a></li>`,
            )}
          </ul>
          <details class="card" ?open=${agents.length <= 1}>
            <summary>Add an agent</summary>
            <form class="stack" @submit=${(e: Event) => (e.preventDefault(), void this.create(e.target as HTMLFormElement))}>
              <label>Name <input name="name" required maxlength="128"></label>
              <label>Workspace <input name="workspace" required placeholder="~/.openclaw/workspace-name"></label>
              <label>Model <input name="model" placeholder="provider/model (optional)"></label>
              <label>Emoji <input name="emoji" maxlength="32"></label>
              <button class="primary" type="submit">Create agent</button>
            </form>
          </details>
        </div>
        ${current ? this.renderAgent(current) : html`<p class="muted">Select an agent to edit it and its files.</p>`}
      </div>
    </section>`;
  }
}
