// The config as a form generated from `config.schema`: one collapsible section per top-level key,
// an input per setting (text, number, choice, on/off, one-per-line lists) and a JSON box for shapes
// a form cannot express (unions, records, lists of objects). Edits go into `value`; the validation
// issues the gateway answers are shown under the field they name.
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fieldKind, getAtPath, setAtPath, type SchemaNode } from './json-schema-walk.js';

export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

export interface UiHint {
  readonly label?: string;
  readonly help?: string;
  readonly sensitive?: boolean;
}

const REDACTED = '__OPENCLAW_REDACTED__';

/** `a.b[0].c` → `a.b.0.c`, so issue paths compare with field paths. */
const normalizeIssuePath = (path: string): string => path.replace(/\[(\d+)\]/g, '.$1');

const hintFor = (hints: Readonly<Record<string, UiHint>>, path: readonly string[]): UiHint | undefined => {
  const exact = hints[path.join('.')];
  if (exact) return exact;
  return Object.entries(hints).find(([pattern]) => {
    const parts = pattern.split('.');
    return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i]);
  })?.[1];
};

@customElement('oc-config-form')
export class ConfigForm extends LitElement {
  @property({ attribute: false }) schema: SchemaNode = {};
  @property({ attribute: false }) value: Record<string, unknown> = {};
  @property({ attribute: false }) hints: Readonly<Record<string, UiHint>> = {};
  @property({ attribute: false }) issues: readonly ConfigIssue[] = [];
  /** Fields whose JSON box does not parse: path → message. */
  @state() private jsonErrors = new Map<string, string>();

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Whether every JSON box parses (the form can be saved). */
  get valid(): boolean {
    return this.jsonErrors.size === 0;
  }

  private change(path: readonly string[], next: unknown): void {
    setAtPath(this.value, path, next);
    this.dispatchEvent(new CustomEvent('form-change', { bubbles: true }));
    this.requestUpdate();
  }

  private issuesAt(path: readonly string[], deep: boolean): ConfigIssue[] {
    const key = path.join('.');
    return this.issues.filter((i) => {
      const p = normalizeIssuePath(i.path);
      return p === key || (deep && (p.startsWith(`${key}.`) || key === ''));
    });
  }

  private renderIssues(path: readonly string[], deep: boolean, id: string): TemplateResult | typeof nothing {
    const issues = this.issuesAt(path, deep);
    const jsonError = this.jsonErrors.get(path.join('.'));
    if (!issues.length && !jsonError) return nothing;
    return html`<ul class="field-errors" id=${id} role="alert">
      ${jsonError ? html`<li>${jsonError}</li>` : nothing}
      ${issues.map((i) => html`<li>${normalizeIssuePath(i.path) === path.join('.') ? '' : `${i.path}: `}${i.message}</li>`)}
    </ul>`;
  }

  private renderField(key: string, path: readonly string[], node: SchemaNode): TemplateResult {
    const kind = fieldKind(node, this.schema);
    const id = `cfg-${path.join('-').replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const hint = hintFor(this.hints, path);
    const label = hint?.label ?? key;
    const help = hint?.help ?? node.description;
    const current = getAtPath(this.value, path);
    const errorsId = `${id}-errors`;
    const invalid = this.issuesAt(path, kind.kind === 'json' || kind.kind === 'lines').length > 0 || this.jsonErrors.has(path.join('.'));

    if (kind.kind === 'object') {
      const properties = Object.entries(kind.properties);
      return html`<fieldset class="cfg-group ${path.length === 1 ? 'top' : ''}" data-path=${path.join('.')}>
        ${path.length === 1 ? nothing : html`<legend>${label}</legend>`}
        ${help ? html`<p class="help">${help}</p>` : nothing}
        ${this.renderIssues(path, false, errorsId)}
        ${properties.map(([k, child]) => this.renderField(k, [...path, k], child))}
      </fieldset>`;
    }

    const describedBy = `${help ? `${id}-help ` : ''}${invalid ? errorsId : ''}`.trim() || nothing;
    let input: TemplateResult;
    switch (kind.kind) {
      case 'enum':
        input = html`<select id=${id} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy}
          @change=${(e: Event) => this.change(path, (e.target as HTMLSelectElement).value || undefined)}>
          <option value="" ?selected=${current === undefined}>(default)</option>
          ${kind.options.map((o) => html`<option value=${o} ?selected=${current === o}>${o}</option>`)}
        </select>`;
        break;
      case 'boolean':
        input = html`<select id=${id} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.change(path, v === '' ? undefined : v === 'true');
          }}>
          <option value="" ?selected=${current === undefined}>(default)</option>
          <option value="true" ?selected=${current === true}>on</option>
          <option value="false" ?selected=${current === false}>off</option>
        </select>`;
        break;
      case 'number':
        input = html`<input id=${id} type="number" inputmode="numeric" step=${kind.integer ? '1' : 'any'} min=${kind.min ?? nothing} max=${kind.max ?? nothing}
          aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy}
          .value=${typeof current === 'number' ? String(current) : ''} placeholder="default"
          @change=${(e: Event) => {
            const text = (e.target as HTMLInputElement).value.trim();
            this.change(path, text === '' ? undefined : Number(text));
          }}>`;
        break;
      case 'string': {
        const secret = hint?.sensitive || current === REDACTED;
        input = html`<input id=${id} type=${secret ? 'password' : 'text'} autocomplete="off" spellcheck="false"
          aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy}
          .value=${typeof current === 'string' && current !== REDACTED ? current : ''}
          placeholder=${current === REDACTED ? 'set (hidden) — type to replace' : 'default'}
          @change=${(e: Event) => {
            const text = (e.target as HTMLInputElement).value;
            if (current === REDACTED && text === '') return;
            this.change(path, text === '' ? undefined : text);
          }}>`;
        break;
      }
      case 'lines':
        input = html`<textarea id=${id} rows="3" spellcheck="false" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy}
          .value=${Array.isArray(current) ? current.join('\n') : ''} placeholder="one per line"
          @change=${(e: Event) => {
            const lines = (e.target as HTMLTextAreaElement).value.split('\n').map((l) => l.trim()).filter(Boolean);
            this.change(path, lines.length ? lines : undefined);
          }}></textarea>`;
        break;
      default:
        input = html`<textarea id=${id} class="code" rows=${current === undefined ? 2 : 5} spellcheck="false" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy}
          .value=${current === undefined ? '' : JSON.stringify(current, null, 2)} placeholder="JSON (empty: default)"
          @change=${(e: Event) => this.changeJson(path, (e.target as HTMLTextAreaElement).value)}></textarea>`;
    }
    return html`<div class="cfg-field" data-path=${path.join('.')}>
      <label for=${id}><span>${label}${label !== key ? html` <code class="muted">${key}</code>` : nothing}</span></label>
      ${input}
      ${help ? html`<p class="help" id=${`${id}-help`}>${help}</p>` : nothing}
      ${this.renderIssues(path, kind.kind === 'json' || kind.kind === 'lines', errorsId)}
    </div>`;
  }

  private changeJson(path: readonly string[], text: string): void {
    const key = path.join('.');
    const errors = new Map(this.jsonErrors);
    if (text.trim() === '') {
      errors.delete(key);
      this.jsonErrors = errors;
      this.change(path, undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      errors.delete(key);
      this.jsonErrors = errors;
      this.change(path, parsed);
    } catch (error) {
      errors.set(key, `not valid JSON: ${(error as Error).message}`);
      this.jsonErrors = errors;
    }
  }

  protected override render() {
    const root = fieldKind(this.schema, this.schema);
    if (root.kind !== 'object') return html`<p class="muted">The gateway's config schema has no properties to show.</p>`;
    const withIssues = new Set(this.issues.map((i) => normalizeIssuePath(i.path).split('.')[0]));
    return html`${this.renderIssues([], false, 'cfg-root-errors')}
      ${Object.entries(root.properties).map(([key, node]) => {
        const present = this.value[key] !== undefined;
        return html`<details class="cfg-section" ?open=${withIssues.has(key)} data-section=${key}>
          <summary>${key}${present ? html` <span class="badge subtle">set</span>` : nothing}${withIssues.has(key) ? html` <span class="badge bad">error</span>` : nothing}</summary>
          ${this.renderField(key, [key], node)}
        </details>`;
      })}`;
  }
}
