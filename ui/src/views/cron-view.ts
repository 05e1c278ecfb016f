// Cron: the scheduler's status, its jobs with their next run, the run history, and a form to add
// or edit a job (every / cron expression / at) and run one now. A gateway without cron answers
// NOT_IMPLEMENTED, and the view says so instead of breaking.
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CronJob } from '../../../contract/schemas/cron-job.js';
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { confirmButton } from '../shared/confirm-button.js';
import { formatAgo, formatTime } from '../shared/format.js';
import { GatewayView } from '../shared/gateway-view.js';
import { describeSchedule, jobInputFromForm } from './cron-form-data.js';

type Status = GatewayMethods['cron.status']['result'];
type RunEntry = GatewayMethods['cron.runs']['result']['entries'][number];

@customElement('oc-cron-view')
export class CronView extends GatewayView {
  @state() private status: Status | undefined;
  @state() private jobs: CronJob[] = [];
  @state() private runs: RunEntry[] = [];
  @state() private editing: CronJob | 'new' | undefined;
  @state() private scheduleKind: 'every' | 'cron' | 'at' = 'every';
  @state() private notice: string | undefined;

  protected override listen(): void {
    this.refreshOn('cron');
  }

  protected async load(): Promise<void> {
    const status = await this.client.cron.status();
    const [list, runs] = await Promise.all([this.client.cron.list({ includeDisabled: true, limit: 200 }), this.client.cron.runs({ scope: 'all', limit: 50, sortDir: 'desc' })]);
    this.status = status;
    this.jobs = list.jobs;
    this.runs = runs.entries;
  }

  private edit(job: CronJob | 'new'): void {
    this.editing = job;
    this.scheduleKind = job === 'new' ? 'every' : job.schedule.kind;
    this.notice = undefined;
  }

  private async save(form: HTMLFormElement): Promise<void> {
    const parsed = jobInputFromForm(new FormData(form));
    if (typeof parsed === 'string') {
      this.error = parsed;
      return;
    }
    const editing = this.editing;
    const ok = await this.act(() =>
      editing && editing !== 'new' ? this.client.cron.update({ id: editing.id, patch: parsed }) : this.client.cron.add(parsed),
    );
    if (ok) {
      this.notice = editing === 'new' ? `Added "${parsed.name}".` : `Saved "${parsed.name}".`;
      this.editing = undefined;
    }
  }

  private async runNow(job: CronJob): Promise<void> {
    let outcome = '';
    const ok = await this.act(async () => {
      const result = await this.client.cron.run({ id: job.id, mode: 'force' });
      outcome = 'enqueued' in result ? `"${job.name}" started (run ${result.runId}).` : `"${job.name}" did not run: ${result.reason}.`;
    });
    if (ok) this.notice = outcome;
  }

  private renderForm() {
    const job = this.editing === 'new' ? undefined : this.editing;
    const s = job?.schedule;
    const payload = job?.payload;
    return html`<form class="card stack" aria-label=${job ? `Edit ${job.name}` : 'New job'} @submit=${(e: Event) => (e.preventDefault(), void this.save(e.target as HTMLFormElement))}>
      <h2>${job ? `Edit "${job.name}"` : 'New job'}</h2>
      <label>Name <input name="name" required maxlength="200" .value=${job?.name ?? ''}></label>
      <label>Agent <input name="agentId" placeholder="default agent" .value=${job?.agentId ?? ''}></label>
      <fieldset class="segmented"><legend>Schedule</legend>
        ${(['every', 'cron', 'at'] as const).map(
          (k) => html`<label><input type="radio" name="kind" value=${k} .checked=${this.scheduleKind === k} @change=${() => (this.scheduleKind = k)}> ${k === 'every' ? 'Every' : k === 'cron' ? 'Cron expression' : 'Once at'}</label>`,
        )}
      </fieldset>
      ${this.scheduleKind === 'every'
        ? html`<label>Every (minutes) <input name="everyMinutes" type="number" min="1" step="1" required .value=${s?.kind === 'every' ? String(Math.max(1, Math.round(s.everyMs / 60000))) : '60'}></label>`
        : this.scheduleKind === 'cron'
          ? html`<label>Expression <input name="expr" required placeholder="0 9 * * 1-5" .value=${s?.kind === 'cron' ? s.expr : ''}></label>
              <label>Time zone <input name="tz" placeholder="gateway's zone" .value=${s?.kind === 'cron' ? (s.tz ?? '') : ''}></label>`
          : html`<label>At <input name="at" type="datetime-local" required .value=${s?.kind === 'at' ? s.at.slice(0, 16) : ''}></label>`}
      <label>Message to the agent <textarea name="message" rows="3" required .value=${payload?.kind === 'agentTurn' ? payload.message : payload?.kind === 'systemEvent' ? payload.text : ''}></textarea></label>
      <label class="inline"><input type="checkbox" name="enabled" .checked=${job?.enabled ?? true}> Enabled</label>
      <div class="row"><button class="primary" type="submit">${job ? 'Save job' : 'Add job'}</button><button type="button" @click=${() => (this.editing = undefined)}>Cancel</button></div>
    </form>`;
  }

  protected override render() {
    if (this.unavailable) {
      return html`<section class="view cron-view" aria-label="Cron"><header class="view-head"><h1>Cron</h1></header>${this.renderUnavailable('Cron')}</section>`;
    }
    const s = this.status;
    return html`<section class="view cron-view" aria-label="Cron">
      <header class="view-head"><h1>Cron</h1><button class="primary" @click=${() => this.edit('new')}>New job</button></header>
      ${this.renderError()}
      ${this.notice ? html`<p class="banner ok" role="status">${this.notice}</p>` : nothing}
      ${s ? html`<p class="muted">Scheduler ${s.enabled ? 'running' : 'stopped'} · ${s.jobs} ${s.jobs === 1 ? 'job' : 'jobs'} · next wake ${formatTime(s.nextWakeAtMs)}</p>` : nothing}
      ${this.editing ? this.renderForm() : nothing}
      <div class="table-wrap"><table>
        <thead><tr><th>Job</th><th>Schedule</th><th>Next run</th><th>Last run</th><th></th></tr></thead>
        <tbody>
          ${this.jobs.length === 0 ? html`<tr><td colspan="5" class="empty">${this.loading ? 'Loading…' : 'No jobs yet.'}</td></tr>` : nothing}
          ${this.jobs.map(
            (j) => html`<tr>
              <td><strong>${j.name}</strong>${j.enabled ? nothing : html` <span class="badge subtle">disabled</span>`}<div class="muted small">${j.agentId ?? 'default agent'}</div></td>
              <td>${describeSchedule(j.schedule)}</td>
              <td>${formatTime(j.state.nextRunAtMs)}</td>
              <td>${j.state.lastRunAtMs ? html`${formatAgo(j.state.lastRunAtMs)} <span class="badge ${j.state.lastRunStatus === 'error' ? 'bad' : 'good'}">${j.state.lastRunStatus ?? ''}</span>` : '—'}</td>
              <td><div class="row wrap"><button @click=${() => void this.runNow(j)}>Run now</button><button @click=${() => this.edit(j)}>Edit</button>
                ${confirmButton('Remove', 'Confirm remove', () => void this.act(() => this.client.cron.remove({ id: j.id })), 'danger')}</div></td>
            </tr>`,
          )}
        </tbody>
      </table></div>
      <h2>Run history</h2>
      ${this.runs.length === 0
        ? html`<p class="empty">No runs yet.</p>`
        : html`<ul class="plain-list">${this.runs.map(
            (r) => html`<li><time>${formatTime(r.runAtMs ?? r.ts)}</time> <strong>${r.jobName ?? r.jobId}</strong> <span class="badge ${r.status === 'error' ? 'bad' : 'good'}">${r.status ?? 'finished'}</span>
              ${r.summary ?? r.error ?? ''}</li>`,
          )}</ul>`}
    </section>`;
  }
}
