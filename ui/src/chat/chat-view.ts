// Chat with any agent in any session: history with paging, a composer (Enter sends, Shift+Enter
// adds a line, attachments), the reply streaming in as sanitized Markdown with its tool steps, abort.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { AgentEvent } from '../../../contract/schemas/agent.js';
import type { ChatEvent } from '../../../contract/schemas/chat.js';
import type { TranscriptMessage } from '../../../contract/schemas/common.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { randomId } from '../../../clients/runtime/random-id.js';
import { describeError } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';
import { navigate } from '../app/router.js';
import { readAttachments, type PendingAttachment } from './attachments.js';
import { renderChatItem, renderLiveRun } from './chat-render.js';
import { applyAgentEvent, applyChatEvent, newLiveRun, type LiveRun } from './live-run.js';
import { toChatItems } from './transcript-model.js';

type Agents = GatewayMethods['agents.list']['result'];
type SessionRow = GatewayMethods['sessions.list']['result']['sessions'][number];

const PAGE = 50;
const MAX_HISTORY = 1000;

@customElement('oc-chat-view')
export class ChatView extends GatewayView {
  @state() private agents: Agents | undefined;
  @state() private sessions: SessionRow[] = [];
  @state() private messages: TranscriptMessage[] = [];
  @state() private limit = PAGE;
  @state() private live: LiveRun | undefined;
  @state() private attachments: PendingAttachment[] = [];
  @state() private draft = '';
  private subscribedKey: string | undefined;
  private refetchTimer: ReturnType<typeof setTimeout> | undefined;

  private get sessionKey(): string {
    return this.params.session || this.client.hello?.snapshot.sessionDefaults.mainSessionKey || 'main';
  }

  private get agentId(): string {
    const match = /^agent:([^:]+):/.exec(this.sessionKey);
    return match?.[1] ?? this.agents?.defaultId ?? 'main';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.refetchTimer);
    if (this.subscribedKey) void this.client.sessions.messages.unsubscribe({ key: this.subscribedKey }).catch(() => {});
  }

  protected override listen(): void {
    this.on('chat', (e) => this.onChat(e));
    this.on('agent', (e) => this.onAgent(e));
    this.on('session.message', (e) => {
      if (e.sessionKey === this.sessionKey && !this.live) this.scheduleRefetch();
    });
  }

  protected override paramsChanged(previous: Record<string, string>): boolean {
    if (previous.session === this.params.session) return false;
    this.live = undefined;
    this.limit = PAGE;
    this.messages = [];
    return true;
  }

  protected async load(): Promise<void> {
    const key = this.sessionKey;
    const [agents, sessions, history] = await Promise.all([
      this.client.agents.list(),
      this.client.sessions.list({ agentId: this.agentId, limit: 100, includeDerivedTitles: true }),
      this.client.chat.history({ sessionKey: key, limit: this.limit }),
    ]);
    this.agents = agents;
    this.sessions = sessions.sessions;
    this.messages = history.messages;
    if (this.subscribedKey !== key) {
      if (this.subscribedKey) void this.client.sessions.messages.unsubscribe({ key: this.subscribedKey }).catch(() => {});
      this.subscribedKey = key;
      await this.client.sessions.messages.subscribe({ key }).catch(() => {});
    }
    this.scrollToEnd();
  }

  private scheduleRefetch(): void {
    clearTimeout(this.refetchTimer);
    this.refetchTimer = setTimeout(() => void this.refetchHistory(), 150);
  }

  private async refetchHistory(): Promise<void> {
    try {
      const history = await this.client.chat.history({ sessionKey: this.sessionKey, limit: this.limit });
      this.messages = history.messages;
      this.scrollToEnd();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private onChat(e: ChatEvent): void {
    if (e.sessionKey !== this.sessionKey) return;
    if (!this.live || this.live.runId !== e.runId) {
      if (e.state !== 'delta') return void this.scheduleRefetch();
      this.live = newLiveRun(e.runId);
    }
    const ended = applyChatEvent(this.live, e);
    this.requestUpdate('live');
    if (ended) {
      const run = this.live;
      void this.refetchHistory().then(() => {
        // An error or abort stays visible; a completed reply is now part of the history.
        if (this.live === run && run.state === 'final') this.live = undefined;
      });
    }
    this.scrollToEnd();
  }

  private onAgent(e: AgentEvent): void {
    if (!this.live || e.runId !== this.live.runId) return;
    applyAgentEvent(this.live, e);
    this.requestUpdate('live');
    this.scrollToEnd();
  }

  private async send(): Promise<void> {
    const message = this.draft.trim();
    if ((!message && this.attachments.length === 0) || this.running) return;
    const runId = randomId();
    const attachments = this.attachments.map((a) => a.wire);
    this.live = newLiveRun(runId);
    this.messages = [...this.messages, { role: 'user', content: message, timestamp: Date.now() }];
    this.draft = '';
    this.attachments = [];
    this.scrollToEnd();
    try {
      const result = await this.client.chat.send({
        sessionKey: this.sessionKey,
        message,
        idempotencyKey: runId,
        ...(attachments.length ? { attachments } : {}),
      });
      if ('status' in result && result.status === 'error' && this.live?.runId === runId) {
        this.live.state = 'error';
        this.live.error = result.summary;
        this.requestUpdate('live');
      }
    } catch (error) {
      if (this.live?.runId === runId) {
        this.live.state = 'error';
        this.live.error = describeError(error);
        this.requestUpdate('live');
      }
    }
  }

  private get running(): boolean {
    return !!this.live && (this.live.state === 'waiting' || this.live.state === 'streaming');
  }

  private async abort(): Promise<void> {
    const run = this.live;
    await this.act(() => this.client.chat.abort({ sessionKey: this.sessionKey, ...(run ? { runId: run.runId } : {}) }), false);
  }

  private async decide(askId: string, decision: 'allow-once' | 'deny'): Promise<void> {
    await this.act(() => this.client.exec.approvals.resolve({ id: askId, decision }), false);
  }

  private async newSession(): Promise<void> {
    try {
      const created = await this.client.sessions.spawn({ agentId: this.agentId, label: `Control UI ${new Date().toLocaleString()}` });
      navigate('chat', { session: created.key });
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private onKeydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void this.send();
    } else if (e.key === 'Escape' && this.running) {
      e.preventDefault();
      void this.abort();
    }
  }

  private async attach(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const { accepted, refused } = await readAttachments(input.files, this.attachments.length);
    input.value = '';
    this.attachments = [...this.attachments, ...accepted];
    this.error = refused.length ? refused.join('; ') : undefined;
  }

  private removeAttachment(index: number): void {
    const [gone] = this.attachments.splice(index, 1);
    if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl);
    this.attachments = [...this.attachments];
  }

  private scrollToEnd(): void {
    void this.updateComplete.then(() => {
      const log = this.querySelector('.transcript');
      if (log) log.scrollTop = log.scrollHeight;
    });
  }

  private loadOlder(): void {
    this.limit = Math.min(MAX_HISTORY, this.limit + PAGE);
    void this.refetchHistory();
  }

  private renderBar() {
    const agents = this.agents?.agents ?? [];
    const mainKey = this.agents?.mainKey ?? 'main';
    const sessions = this.sessions.some((s) => s.key === this.sessionKey) ? this.sessions : [{ key: this.sessionKey } as SessionRow, ...this.sessions];
    return html`<div class="toolbar">
      <label>Agent
        <select aria-label="Agent" @change=${(e: Event) => navigate('chat', { session: `agent:${(e.target as HTMLSelectElement).value}:${mainKey}` })}>
          ${agents.map((a) => html`<option value=${a.id} ?selected=${a.id === this.agentId}>${a.identity?.emoji ?? ''} ${a.name ?? a.id}</option>`)}
        </select>
      </label>
      <label class="grow">Session
        <select aria-label="Session" @change=${(e: Event) => navigate('chat', { session: (e.target as HTMLSelectElement).value })}>
          ${sessions.map((s) => html`<option value=${s.key} ?selected=${s.key === this.sessionKey}>${s.label ?? s.derivedTitle ?? s.displayName ?? s.key}</option>`)}
        </select>
      </label>
      <button @click=${() => void this.newSession()}>New session</button>
    </div>`;
  }

  protected override render() {
    const items = toChatItems(this.messages);
    const hasOlder = this.messages.length >= this.limit && this.limit < MAX_HISTORY;
    return html`<section class="view chat-view" aria-label="Chat">
      ${this.renderBar()}
      ${this.renderError()}
      <div class="transcript" role="log" aria-live="polite" tabindex="0">
        ${hasOlder ? html`<button class="link load-older" @click=${() => this.loadOlder()}>Load older messages</button>` : nothing}
        ${items.length === 0 && !this.live ? html`<p class="empty">No messages yet in <code>${this.sessionKey}</code>. Say something below.</p>` : nothing}
        ${items.map((item) => renderChatItem(item))}
        ${this.live ? renderLiveRun(this.live, (id, d) => void this.decide(id, d)) : nothing}
      </div>
      <form class="composer" @submit=${(e: Event) => (e.preventDefault(), void this.send())}>
        ${this.attachments.length
          ? html`<ul class="chips" aria-label="Attachments">
              ${this.attachments.map(
                (a, i) => html`<li class="chip">
                  ${a.previewUrl ? html`<img src=${a.previewUrl} alt="">` : nothing}<span>${a.wire.fileName}</span>
                  <button type="button" class="link" aria-label=${`Remove ${a.wire.fileName}`} @click=${() => this.removeAttachment(i)}>×</button>
                </li>`,
              )}
            </ul>`
          : nothing}
        <textarea
          name="message"
          rows="3"
          aria-label="Message"
          placeholder="Message — Enter sends, Shift+Enter adds a line"
          .value=${this.draft}
          @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
          @keydown=${(e: KeyboardEvent) => this.onKeydown(e)}
        ></textarea>
        <div class="row">
          <label class="button">Attach<input type="file" multiple class="visually-hidden" @change=${(e: Event) => void this.attach(e)}></label>
          <span class="grow"></span>
          ${this.running
            ? html`<button type="button" class="danger" @click=${() => void this.abort()}>Stop</button>`
            : html`<button type="submit" class="primary" ?disabled=${!this.draft.trim() && this.attachments.length === 0}>Send</button>`}
        </div>
      </form>
    </section>`;
  }
}
