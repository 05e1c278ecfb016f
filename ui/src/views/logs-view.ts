// Logs: a live tail of the gateway's JSON log (logs.tail from a byte cursor, polled), filtered by
// level and text, paused on demand, newest at the bottom.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { GatewayView } from '../shared/gateway-view.js';
import { LEVELS, parseLogLine, type LogLine } from './log-line.js';

const POLL_MS = 2000;
const MAX_LINES = 2000;

@customElement('oc-logs-view')
export class LogsView extends GatewayView {
  @state() private lines: LogLine[] = [];
  @state() private minLevel = 30;
  @state() private filter = '';
  @state() private paused = false;
  @state() private file = '';
  private cursor: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  protected async load(): Promise<void> {
    this.cursor = undefined;
    this.lines = [];
    await this.poll();
  }

  private async poll(): Promise<void> {
    clearTimeout(this.timer);
    if (this.polling) return;
    this.polling = true;
    try {
      const result = await this.client.logs.tail(this.cursor === undefined ? { limit: 300 } : { cursor: this.cursor, limit: 1000 });
      this.file = result.file;
      const fresh = result.lines.map(parseLogLine);
      this.lines = (result.reset ? fresh : [...this.lines, ...fresh]).slice(-MAX_LINES);
      this.cursor = result.cursor;
      if (fresh.length) this.stickToBottom();
    } finally {
      this.polling = false;
      if (this.isConnected && !this.paused) this.timer = setTimeout(() => void this.poll().catch((e: unknown) => (this.error = (e as Error).message)), POLL_MS);
    }
  }

  private stickToBottom(): void {
    const box = this.querySelector('.log-lines');
    const atEnd = !box || box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    if (atEnd) void this.updateComplete.then(() => this.querySelector('.log-lines')?.scrollTo({ top: 1e9 }));
  }

  private togglePause(): void {
    this.paused = !this.paused;
    if (!this.paused) void this.poll();
    else clearTimeout(this.timer);
  }

  protected override render() {
    const needle = this.filter.toLowerCase();
    const shown = this.lines.filter((l) => l.level >= this.minLevel && (!needle || l.text.toLowerCase().includes(needle)));
    return html`<section class="view logs-view" aria-label="Logs">
      <header class="view-head"><h1>Logs</h1>
        <label>Level <select aria-label="Minimum level" @change=${(e: Event) => (this.minLevel = Number((e.target as HTMLSelectElement).value))}>
          ${LEVELS.map((l) => html`<option value=${l.value} ?selected=${l.value === this.minLevel}>${l.name}</option>`)}</select></label>
        <input type="search" aria-label="Filter log lines" placeholder="Filter" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}>
        <button aria-pressed=${this.paused ? 'true' : 'false'} @click=${() => this.togglePause()}>${this.paused ? 'Resume' : 'Pause'}</button>
      </header>
      ${this.renderError()}
      <p class="muted small">${this.file}${this.paused ? ' · paused' : ' · live'} · ${shown.length} of ${this.lines.length} lines</p>
      <div class="log-lines" role="log" aria-live="off" tabindex="0">
        ${shown.length === 0 ? html`<p class="empty">${this.loading ? 'Loading…' : 'No lines at this level.'}</p>` : nothing}
        ${shown.map(
          (l) => html`<div class="log-line" data-level=${l.levelName}><time>${l.time}</time><span class="lvl">${l.levelName}</span><span class="log-msg">${l.msg}</span>${l.fields ? html`<span class="log-fields">${l.fields}</span>` : nothing}</div>`,
        )}
      </div>
    </section>`;
  }
}
