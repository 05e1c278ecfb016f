// The base of every view: light DOM (one stylesheet for the page), the connected client, gateway
// event listeners removed when the view goes, a reload after a reconnect (events sent while the
// socket was down are not replayed), and the last error shown where the view puts it.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { OpenClawClient } from '../../../clients/openclaw-client.js';
import type { GatewayEvents } from '../../../generated/clients/method-map.js';
import { describeError, isNotImplemented } from './format.js';

export type RouteParams = Readonly<Record<string, string>>;

export abstract class GatewayView extends LitElement {
  @property({ attribute: false }) client!: OpenClawClient;
  @property({ attribute: false }) params: RouteParams = {};
  @state() protected error: string | undefined;
  @state() protected loading = false;
  /** Set when a method this view needs answered NOT_IMPLEMENTED: what the gateway said. */
  @state() protected unavailable: string | undefined;
  private offs: (() => void)[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offs.push(this.client.on('ready', ({ reconnected }) => reconnected && void this.refresh()));
    this.listen();
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.offs.splice(0)) off();
    clearTimeout(this.refreshTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params') !== undefined && this.paramsChanged(changed.get('params') as RouteParams)) void this.refresh();
  }

  /** Whether new route params need a reload (default: any change). */
  protected paramsChanged(previous: RouteParams): boolean {
    return JSON.stringify(previous) !== JSON.stringify(this.params);
  }

  /** Subscribes to gateway events (with `on`); called once per connection of the view. */
  protected listen(): void {}

  protected on<K extends keyof GatewayEvents & string>(event: K, listener: (payload: GatewayEvents[K]) => void): void {
    this.offs.push(this.client.on(event, listener as never));
  }

  /** Reloads the view shortly after `event` (a burst of them makes one reload). */
  protected refreshOn<K extends keyof GatewayEvents & string>(event: K): void {
    this.on(event, () => {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), 300);
    });
  }

  /** Loads what the view shows; errors land in `error` (or `unavailable`). */
  protected abstract load(): Promise<void>;

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      await this.load();
      this.error = undefined;
      this.unavailable = undefined;
    } catch (error) {
      if (isNotImplemented(error)) this.unavailable = describeError(error);
      else this.error = describeError(error);
    } finally {
      this.loading = false;
    }
  }

  /** Runs one action; its failure is shown, its success reloads unless told otherwise. */
  protected async act(action: () => Promise<unknown>, reload = true): Promise<boolean> {
    try {
      await action();
      this.error = undefined;
      if (reload) await this.refresh();
      return true;
    } catch (error) {
      this.error = describeError(error);
      return false;
    }
  }

  protected renderError(): TemplateResult | typeof nothing {
    return this.error ? html`<p class="banner error" role="alert">${this.error}</p>` : nothing;
  }

  protected renderUnavailable(what: string): TemplateResult {
    return html`<div class="banner unavailable" role="status">
      <strong>${what} is not available on this gateway.</strong>
      <p>The gateway answered: ${this.unavailable}</p>
      <p class="muted">This view fills in once the gateway implements it; nothing here is broken.</p>
    </div>`;
  }
}
