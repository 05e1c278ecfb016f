// The login form: the gateway token (or password), kept for this tab only. Shown first, and again
// with the reason when the gateway refuses the secret.
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Credentials } from '../gateway/credentials.js';
import type { Refusal } from '../gateway/connect-refusal.js';

@customElement('oc-login-form')
export class LoginForm extends LitElement {
  @property({ attribute: false }) refusal: Refusal | undefined;
  @state() private kind: Credentials['kind'] = 'token';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private submit(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const secret = (form.elements.namedItem('secret') as HTMLInputElement).value.trim();
    const detail: Credentials = { kind: this.kind, secret };
    this.dispatchEvent(new CustomEvent('login', { detail, bubbles: true, composed: true }));
  }

  protected override firstUpdated(): void {
    this.querySelector<HTMLInputElement>('input[name=secret]')?.focus();
  }

  protected override render() {
    return html`<section class="view narrow login" aria-labelledby="login-title">
      <h1 id="login-title">Connect to the gateway</h1>
      ${this.refusal ? html`<div class="banner error" role="alert"><strong>${this.refusal.title}</strong><p>${this.refusal.message}</p></div>` : nothing}
      <form @submit=${(e: Event) => this.submit(e)}>
        <fieldset class="segmented">
          <legend>Sign in with</legend>
          <label><input type="radio" name="kind" value="token" .checked=${this.kind === 'token'} @change=${() => (this.kind = 'token')}> Token</label>
          <label><input type="radio" name="kind" value="password" .checked=${this.kind === 'password'} @change=${() => (this.kind = 'password')}> Password</label>
        </fieldset>
        <label>Gateway ${this.kind}
          <input name="secret" type="password" autocomplete="off" spellcheck="false" placeholder=${this.kind === 'token' ? 'gateway.auth.token' : 'gateway.auth.password'}>
        </label>
        <button class="primary" type="submit">Connect</button>
        <p class="muted small">Leave it empty for a gateway with gateway.auth.mode "none".</p>
      </form>
      <p class="muted">The gateway prints a link with its token when it starts (<code>openclaw dashboard</code> prints it again).
        The token stays in this tab only and is never put in the address bar.</p>
    </section>`;
  }
}
