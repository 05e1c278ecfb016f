// `act`: what the model does on a page, element by snapshot ref (click, type, press, hover, drag,
// select, fill, resize, wait, evaluate, close), plus the upload and dialog hooks.
import { guarded, pw, sleep, type ActionScope } from './action-scope.js';
import { BrowserError } from './browser-error.js';
import type { BrowserSession } from './browser-session.js';
import type { BrowserTab } from './browser-tab.js';
import { refLocator } from './capture-actions.js';

export const ACT_KINDS = ['click', 'type', 'press', 'hover', 'drag', 'select', 'fill', 'resize', 'wait', 'evaluate', 'close'] as const;
export type ActKind = (typeof ACT_KINDS)[number];

/** Upstream's act request (flattened: `kind` says which fields apply). */
export interface ActRequest {
  readonly kind: ActKind;
  readonly ref?: string;
  readonly doubleClick?: boolean;
  readonly button?: 'left' | 'right' | 'middle';
  readonly modifiers?: readonly ('Alt' | 'Control' | 'ControlOrMeta' | 'Meta' | 'Shift')[];
  readonly text?: string;
  readonly submit?: boolean;
  readonly slowly?: boolean;
  readonly key?: string;
  readonly delayMs?: number;
  readonly startRef?: string;
  readonly endRef?: string;
  readonly values?: readonly string[];
  readonly fields?: readonly { readonly ref: string; readonly type?: string; readonly value?: string | number | boolean }[];
  readonly width?: number;
  readonly height?: number;
  readonly timeMs?: number;
  readonly textGone?: string;
  readonly selector?: string;
  readonly url?: string;
  readonly loadState?: 'load' | 'domcontentloaded' | 'networkidle';
  readonly fn?: string;
}

const MAX_EVALUATE_RESULT_CHARS = 20_000;

const need = <T>(value: T | undefined, field: string, kind: string): T => {
  if (value === undefined || value === '') throw new BrowserError('invalid_request', `act ${kind} needs ${field}`);
  return value;
};

/** A JSON-safe, size-capped copy of what page code returned. */
function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value) ?? 'null';
  if (text.length <= MAX_EVALUATE_RESULT_CHARS) return value;
  return { truncated: true, json: `${text.slice(0, MAX_EVALUATE_RESULT_CHARS)}…` };
}

/**
 * Runs page code: an expression or a function source (`() => document.title`, `(el) => el.value`
 * with a ref). It is evaluated over the DevTools protocol, so a page's CSP does not stop it.
 */
async function evaluate(tab: BrowserTab, source: string, ref: string | undefined, scope: ActionScope): Promise<unknown> {
  const element = ref ? await (await refLocator(tab, ref, scope)).elementHandle(pw(scope)) : null;
  const fn = await guarded(scope, 'evaluating', () => tab.page.evaluateHandle(`(${source})`));
  try {
    return await guarded(scope, 'evaluating', () =>
      fn.evaluate((f: unknown, el: unknown) => (typeof f === 'function' ? (f as (e: unknown) => unknown)(el ?? undefined) : f), element),
    );
  } finally {
    void fn.dispose().catch(() => {});
    void element?.dispose().catch(() => {});
  }
}

async function waitFor(tab: BrowserTab, request: ActRequest, scope: ActionScope, evaluateEnabled: boolean): Promise<void> {
  const page = tab.page;
  if (request.timeMs !== undefined) await sleep(scope, request.timeMs);
  if (request.text) await guarded(scope, `waiting for text "${request.text}"`, () => page.getByText(request.text!).first().waitFor({ state: 'visible', ...pw(scope) }));
  if (request.textGone) await guarded(scope, `waiting for "${request.textGone}" to go`, () => page.getByText(request.textGone!).first().waitFor({ state: 'hidden', ...pw(scope) }));
  if (request.selector) await guarded(scope, `waiting for ${request.selector}`, () => page.locator(request.selector!).first().waitFor({ state: 'visible', ...pw(scope) }));
  if (request.url) await guarded(scope, `waiting for the URL ${request.url}`, () => page.waitForURL(request.url!, pw(scope)));
  if (request.loadState) await guarded(scope, `waiting for ${request.loadState}`, () => page.waitForLoadState(request.loadState, pw(scope)));
  if (request.fn) {
    if (!evaluateEnabled) throw new BrowserError('invalid_request', 'act wait with fn runs page JavaScript, which browser.evaluateEnabled=false turns off');
    await guarded(scope, 'waiting for the function', () => page.waitForFunction(`(${request.fn})`, undefined, pw(scope)).then(() => undefined));
  }
}

export interface ActOutcome {
  readonly ok: true;
  readonly targetId: string;
  readonly url?: string;
  readonly result?: unknown;
  /** Dialogs the page opened during the action and how they were answered. */
  readonly dialogs?: { type: string; message: string; action: string }[];
}

export async function act(session: BrowserSession, tab: BrowserTab, request: ActRequest, scope: ActionScope, evaluateEnabled: boolean): Promise<ActOutcome> {
  const kind = request.kind;
  const since = Date.now();
  let result: unknown;
  const what = `act ${kind}`;
  switch (kind) {
    case 'click': {
      const target = await refLocator(tab, need(request.ref, 'ref', kind), scope);
      const options = { button: request.button ?? 'left', ...(request.modifiers ? { modifiers: [...request.modifiers] } : {}), ...pw(scope) };
      await guarded(scope, what, () => (request.doubleClick ? target.dblclick(options) : target.click(options)));
      break;
    }
    case 'type': {
      const target = await refLocator(tab, need(request.ref, 'ref', kind), scope);
      const text = need(request.text, 'text', kind);
      await guarded(scope, what, () => (request.slowly ? target.pressSequentially(text, { delay: 75, ...pw(scope) }) : target.fill(text, pw(scope))));
      if (request.submit) await guarded(scope, what, () => target.press('Enter', pw(scope)));
      break;
    }
    case 'press': {
      const key = need(request.key, 'key', kind);
      if (request.ref) await guarded(scope, what, async () => (await refLocator(tab, request.ref!, scope)).press(key, { delay: request.delayMs ?? 0, ...pw(scope) }));
      else await guarded(scope, what, () => tab.page.keyboard.press(key, { delay: request.delayMs ?? 0 }));
      break;
    }
    case 'hover': {
      const target = await refLocator(tab, need(request.ref, 'ref', kind), scope);
      await guarded(scope, what, () => target.hover(pw(scope)));
      break;
    }
    case 'drag': {
      const from = await refLocator(tab, need(request.startRef, 'startRef', kind), scope);
      const to = await refLocator(tab, need(request.endRef, 'endRef', kind), scope);
      await guarded(scope, what, () => from.dragTo(to, pw(scope)));
      break;
    }
    case 'select': {
      const target = await refLocator(tab, need(request.ref, 'ref', kind), scope);
      const values = need(request.values, 'values', kind);
      result = await guarded(scope, what, () => target.selectOption([...values], pw(scope)));
      break;
    }
    case 'fill': {
      const fields = need(request.fields, 'fields', kind);
      for (const field of fields) {
        const target = await refLocator(tab, field.ref, scope);
        if (field.type === 'checkbox' || field.type === 'radio') {
          await guarded(scope, `${what} ${field.ref}`, () => target.setChecked(field.value === true || field.value === 'true', pw(scope)));
        } else {
          await guarded(scope, `${what} ${field.ref}`, () => target.fill(field.value === undefined ? '' : String(field.value), pw(scope)));
        }
      }
      break;
    }
    case 'resize':
      await guarded(scope, what, () => tab.page.setViewportSize({ width: need(request.width, 'width', kind), height: need(request.height, 'height', kind) }));
      break;
    case 'wait':
      if ([request.timeMs, request.text, request.textGone, request.selector, request.url, request.loadState, request.fn].every((v) => v === undefined)) {
        throw new BrowserError('invalid_request', 'act wait needs one of timeMs, text, textGone, selector, url, loadState or fn');
      }
      await waitFor(tab, request, scope, evaluateEnabled);
      break;
    case 'evaluate':
      if (!evaluateEnabled) throw new BrowserError('invalid_request', 'act evaluate is turned off by browser.evaluateEnabled=false');
      result = jsonSafe(await evaluate(tab, need(request.fn, 'fn', kind), request.ref, scope));
      break;
    case 'close':
      await session.closeTab(tab);
      return { ok: true, targetId: tab.targetId };
  }
  const outcome: { ok: true; targetId: string; url?: string; result?: unknown; dialogs?: { type: string; message: string; action: string }[] } = {
    ok: true,
    targetId: tab.targetId,
    url: tab.page.url(),
  };
  if (result !== undefined) outcome.result = result;
  const dialogs = tab.dialogsSince(since);
  if (dialogs.length > 0) outcome.dialogs = dialogs.map((d) => ({ type: d.type, message: d.message, action: d.action }));
  return outcome;
}

/** upload: files for an input (`inputRef`), for the chooser a click on `ref` opens, or for the next chooser. */
export async function upload(tab: BrowserTab, paths: readonly string[], request: { ref?: string; inputRef?: string; element?: string }, scope: ActionScope) {
  if (request.inputRef || request.element) {
    const input = request.inputRef ? await refLocator(tab, request.inputRef, scope) : tab.page.locator(request.element!).first();
    await guarded(scope, 'setting the files', () => input.setInputFiles([...paths], pw(scope)));
    return { ok: true as const, targetId: tab.targetId };
  }
  if (!request.ref) {
    tab.armFileChooser(paths, scope.timeoutMs);
    return { ok: true as const, targetId: tab.targetId, armed: true };
  }
  const trigger = await refLocator(tab, request.ref, scope);
  const chooser = tab.page.waitForEvent('filechooser', pw(scope));
  chooser.catch(() => {});
  await guarded(scope, 'clicking the upload control', () => trigger.click(pw(scope)));
  const opened = await guarded(scope, 'waiting for the file chooser', () => chooser);
  await guarded(scope, 'setting the files', () => opened.setFiles([...paths], pw(scope)));
  return { ok: true as const, targetId: tab.targetId };
}
