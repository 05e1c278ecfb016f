// A button for destructive actions that asks once more in place ("Delete" → "Confirm delete"),
// without a modal dialog; it falls back after a few seconds or when focus leaves it.
import { LitElement, html, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

@customElement('oc-confirm-button')
export class ConfirmButton extends LitElement {
  @property() label = '';
  @property() confirmLabel = '';
  @property() tone = '';
  @property({ attribute: false }) action: (() => void) | undefined;
  @state() private armed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private onClick(): void {
    if (!this.armed) {
      this.armed = true;
      this.timer = setTimeout(() => (this.armed = false), 6000);
      return;
    }
    clearTimeout(this.timer);
    this.armed = false;
    this.action?.();
  }

  protected override render() {
    return html`<button type="button" class=${this.armed ? 'danger' : this.tone} @click=${() => this.onClick()} @blur=${() => (this.armed = false)}>
      ${this.armed ? this.confirmLabel : this.label}
    </button>`;
  }
}

export function confirmButton(label: string, confirmLabel: string, action: () => void, tone = ''): TemplateResult {
  return html`<oc-confirm-button .label=${label} .confirmLabel=${confirmLabel} .tone=${tone} .action=${action}></oc-confirm-button>`;
}
