// What the model can read off a tab: the snapshot (text with refs), a screenshot or PDF (files in
// the agent's state dir), and the console messages the page logged.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { ariaNodeList, formatSnapshot } from './aria-snapshot.js';
import { guarded, pw, type ActionScope } from './action-scope.js';
import { BrowserError } from './browser-error.js';
import type { AgentBrowserPaths } from './browser-paths.js';
import { SNAPSHOT_EFFICIENT_DEPTH, SNAPSHOT_EFFICIENT_MAX_CHARS, SNAPSHOT_MAX_CHARS } from './browser-settings.js';
import type { BrowserTab, ConsoleEntry } from './browser-tab.js';

/** The model gets at most this much text per tool result anyway (run-loop's cap). */
const MAX_SNAPSHOT_CHARS = 100_000;
const MAX_ARIA_NODES = 2000;

export interface SnapshotRequest {
  readonly format: 'ai' | 'aria';
  readonly mode: 'efficient' | undefined;
  readonly interactive?: boolean;
  readonly compact?: boolean;
  readonly depth?: number;
  readonly maxChars?: number;
  readonly selector?: string;
  readonly limit?: number;
}

/** A ref from a snapshot of this tab, resolved now; ref_not_found at once when the page has no such element. */
export async function refLocator(tab: BrowserTab, ref: string, scope: ActionScope): Promise<Locator> {
  const normalized = ref.trim().replace(/^ref=/, '');
  if (!/^(?:f\d+)?e\d+$/.test(normalized)) throw new BrowserError('ref_not_found', `"${ref.slice(0, 40)}" is not a snapshot ref; refs look like e12`);
  const locator = tab.page.getByRef(normalized);
  const count = await guarded(scope, `finding ${normalized}`, () => locator.count());
  if (count === 0) throw new BrowserError('ref_not_found', `ref ${normalized} is not on the page any more; take a new snapshot and use its refs`);
  return locator;
}

export async function snapshotTab(tab: BrowserTab, request: SnapshotRequest, scope: ActionScope) {
  const efficient = request.mode === 'efficient';
  const depth = request.depth ?? (efficient ? SNAPSHOT_EFFICIENT_DEPTH : undefined);
  const options = { mode: 'ai' as const, ...(depth === undefined ? {} : { depth }), ...pw(scope) };
  const raw = await guarded(scope, 'taking a snapshot', () =>
    request.selector ? tab.page.locator(request.selector).first().ariaSnapshot(options) : tab.page.ariaSnapshot(options),
  );
  const url = tab.page.url();
  if (request.format === 'aria') {
    return { ok: true as const, format: 'aria' as const, targetId: tab.targetId, url, nodes: ariaNodeList(raw, Math.min(request.limit ?? 500, MAX_ARIA_NODES)) };
  }
  const maxChars = Math.min(request.maxChars ?? (efficient ? SNAPSHOT_EFFICIENT_MAX_CHARS : SNAPSHOT_MAX_CHARS), MAX_SNAPSHOT_CHARS);
  const shaped = formatSnapshot(raw, { interactive: request.interactive ?? false, compact: request.compact ?? efficient, maxChars });
  const title = await tab.page.title().catch(() => '');
  return { ok: true as const, format: 'ai' as const, targetId: tab.targetId, url, title, snapshot: shaped.snapshot, truncated: shaped.truncated, stats: shaped.stats };
}

export interface ScreenshotRequest {
  readonly fullPage: boolean;
  readonly ref?: string;
  readonly element?: string;
  readonly type: 'png' | 'jpeg';
}

export async function screenshotTab(tab: BrowserTab, request: ScreenshotRequest, paths: AgentBrowserPaths, scope: ActionScope) {
  const options = { type: request.type, ...pw(scope) };
  const bytes = await guarded(scope, 'taking a screenshot', async () => {
    if (request.ref) return (await refLocator(tab, request.ref, scope)).screenshot(options);
    if (request.element) return tab.page.locator(request.element).first().screenshot(options);
    return tab.page.screenshot({ fullPage: request.fullPage, ...options });
  });
  const path = join(paths.screenshots, `${Date.now()}-${tab.targetId}.${request.type === 'jpeg' ? 'jpg' : 'png'}`);
  await writeFile(path, bytes, { mode: 0o600 });
  return { result: { ok: true as const, path, targetId: tab.targetId, url: tab.page.url(), type: request.type, bytes: bytes.byteLength }, data: bytes };
}

export async function pdfTab(tab: BrowserTab, paths: AgentBrowserPaths, scope: ActionScope) {
  const bytes = await guarded(scope, 'printing a PDF', () => tab.page.pdf({ printBackground: true }));
  const path = join(paths.pdfs, `${Date.now()}-${tab.targetId}.pdf`);
  await writeFile(path, bytes, { mode: 0o600 });
  return { ok: true as const, path, targetId: tab.targetId, url: tab.page.url(), bytes: bytes.byteLength };
}

/** Severity order for `level` (at least this severe). */
const SEVERITY: Record<string, number> = { debug: 0, trace: 0, log: 1, info: 1, warning: 2, warn: 2, error: 3 };

export function consoleOf(tab: BrowserTab, level: string | undefined): { ok: true; targetId: string; messages: ConsoleEntry[] } {
  const min = level ? SEVERITY[level.toLowerCase()] : undefined;
  if (level && min === undefined) throw new BrowserError('invalid_request', `level must be one of error, warning, info, log, debug, not ${level.slice(0, 20)}`);
  const messages = min === undefined ? [...tab.console] : tab.console.filter((m) => (SEVERITY[m.type] ?? 1) >= min);
  return { ok: true, targetId: tab.targetId, messages };
}
