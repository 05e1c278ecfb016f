// Templates of the chat transcript: a turn as sanitized Markdown, its images, and each tool step
// folded into a <details> (arguments and result), with allow/deny on a step that awaits approval.
import { html, nothing, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { formatTime } from '../shared/format.js';
import type { LiveRun } from './live-run.js';
import { renderMarkdown } from './markdown.js';
import { formatToolValue, type ChatItem, type ToolStep } from './transcript-model.js';

export interface ToolDecider {
  (askId: string, decision: 'allow-once' | 'deny'): void;
}

const STATUS_LABEL: Record<ToolStep['status'], string> = {
  running: 'running…',
  awaiting: 'waiting for approval',
  done: 'done',
  error: 'failed',
};

export function renderToolStep(step: ToolStep, decide: ToolDecider | undefined): TemplateResult {
  const args = formatToolValue(step.args);
  return html`<details class="tool-step" data-status=${step.status} ?open=${step.status === 'awaiting'}>
    <summary><span class="tool-name">${step.name}</span> <span class="tool-status">${STATUS_LABEL[step.status]}</span></summary>
    ${step.summary ? html`<p class="tool-summary">${step.summary}</p>` : nothing}
    ${step.status === 'awaiting' && step.askId && decide
      ? html`<div class="row">
          <button class="primary" @click=${() => decide(step.askId!, 'allow-once')}>Allow once</button>
          <button class="danger" @click=${() => decide(step.askId!, 'deny')}>Deny</button>
          <a href="#/approvals">All approvals</a>
        </div>`
      : nothing}
    ${args ? html`<div class="tool-io"><span class="muted">arguments</span><pre>${args}</pre></div>` : nothing}
    ${step.result ? html`<div class="tool-io"><span class="muted">result</span><pre>${step.result}</pre></div>` : nothing}
  </details>`;
}

export function renderChatItem(item: ChatItem): TemplateResult {
  return html`<article class="msg msg-${item.role}" data-role=${item.role}>
    <header class="msg-meta"><span>${item.role === 'user' ? 'You' : item.role === 'system' ? 'System' : 'Assistant'}</span>
      ${item.timestamp ? html`<time>${formatTime(item.timestamp)}</time>` : nothing}</header>
    ${item.text ? html`<div class="md">${item.role === 'user' ? html`<p class="plain">${item.text}</p>` : unsafeHTML(renderMarkdown(item.text))}</div>` : nothing}
    ${item.images.map((src) => html`<img class="msg-image" src=${src} alt="attached image">`)}
    ${item.tools.map((t) => renderToolStep(t, undefined))}
  </article>`;
}

export function renderLiveRun(run: LiveRun, decide: ToolDecider): TemplateResult {
  return html`<article class="msg msg-assistant live" data-role="assistant" data-state=${run.state} aria-busy=${run.state === 'waiting' || run.state === 'streaming' ? 'true' : 'false'}>
    <header class="msg-meta"><span>Assistant</span><span class="muted">${run.state === 'waiting' ? 'thinking…' : run.state === 'streaming' ? 'writing…' : run.state}</span></header>
    ${run.tools.map((t) => renderToolStep(t, decide))}
    ${run.text ? html`<div class="md">${unsafeHTML(renderMarkdown(run.text))}</div>` : nothing}
    ${run.error ? html`<p class="error-text" role="alert">${run.error}</p>` : nothing}
  </article>`;
}
