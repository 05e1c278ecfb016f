// The browser tool on a real Chromium against pages on a loopback server (allowed in this config
// by address): navigation, snapshots and refs, forms, screenshots, dialogs, uploads, the navigation
// guard, timeouts, abort, console, cookies across restarts, the HTTP policy and the operator methods.
// One gateway and one browser for the whole file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolContent } from '../../server/tools/tool-result.js';
import { ToolError } from '../../server/tools/tool-error.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { startPageServer, type PageServer } from './browser-pages.js';

let pages: PageServer;
let gw: RunningGateway;

const tools = () => gw.gateway!.services.agents.tools;
const invoke = async (args: Record<string, unknown>, signal = new AbortController().signal): Promise<ToolContent> =>
  (await tools().invoke('browser', args, { agentId: 'main', caller: { kind: 'internal' }, signal })) as ToolContent;
const details = async (args: Record<string, unknown>): Promise<Record<string, any>> => (await invoke(args)).details as Record<string, any>;
const failure = async (args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolError> => {
  const error = await invoke(args, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
};
const snapshotText = async (args: Record<string, unknown> = {}): Promise<string> => ((await invoke({ action: 'snapshot', ...args })).content[0] as { text: string }).text;
/** The ref of the first snapshot line with this role and name. */
const refOf = (snapshot: string, role: string, name: string): string => {
  const line = snapshot.split('\n').find((l) => l.includes(`${role} "${name}"`));
  const ref = line ? /\[ref=((?:f\d+)?e\d+)\]/.exec(line)?.[1] : undefined;
  if (!ref) throw new Error(`no ${role} "${name}" in:\n${snapshot}`);
  return ref;
};

beforeAll(async () => {
  pages = await startPageServer();
  gw = await startInProcess({ ...TEST_CONFIG, browser: { allowPrivateHosts: ['127.0.0.1'], idleTimeoutMs: 0 } });
});
afterAll(async () => {
  await gw?.stop();
  await pages?.close();
});

describe('browser tool on Chromium', () => {
  it('opens a page and snapshots it with refs', async () => {
    const opened = await details({ action: 'open', targetUrl: `${pages.base}/form` });
    expect(opened).toMatchObject({ title: 'Form', url: `${pages.base}/form`, type: 'page' });
    const snap = await invoke({ action: 'snapshot' });
    const text = (snap.content[0] as { text: string }).text;
    expect(text).toContain(`Page: Form — ${pages.base}/form (targetId ${opened.targetId}`);
    expect(text).toMatch(/heading "Sign up" \[level=1\] \[ref=e\d+\]/);
    expect(text).toMatch(/textbox "Name" \[ref=e\d+\]/);
    expect(snap.details).toMatchObject({ ok: true, format: 'ai', targetId: opened.targetId, truncated: false });
    expect(snap.meta).toMatchObject({ action: 'snapshot', targetId: opened.targetId, url: `${pages.base}/form` });
    // Efficient / interactive modes are shorter and keep the same refs.
    const interactive = await snapshotText({ interactive: true });
    expect(interactive).not.toContain('heading');
    expect(refOf(interactive, 'textbox', 'Name')).toBe(refOf(text, 'textbox', 'Name'));
    const capped = await details({ action: 'snapshot', maxChars: 100 });
    expect(capped.truncated).toBe(true);
    expect(capped.snapshot).toContain('truncated');
  });

  it('fills a form, clicks by ref and reads the result', async () => {
    await details({ action: 'navigate', url: `${pages.base}/form` });
    const snap = await snapshotText();
    const filled = await details({
      action: 'act',
      request: {
        kind: 'fill',
        fields: [
          { ref: refOf(snap, 'textbox', 'Name'), type: 'text', value: 'Ada' },
          { ref: refOf(snap, 'textbox', 'Email'), type: 'text', value: 'ada@example.com' },
          { ref: refOf(snap, 'checkbox', 'Newsletter'), type: 'checkbox', value: true },
        ],
      },
    });
    expect(filled).toMatchObject({ ok: true, url: `${pages.base}/form` });
    // act fields at the top level work as well as in `request`.
    await details({ action: 'act', kind: 'click', ref: refOf(snap, 'button', 'Send') });
    expect(await snapshotText()).toContain('Hello Ada <ada@example.com> news=true');
    const missing = await failure({ action: 'act', request: { kind: 'click', ref: 'e9999' } });
    expect(missing.message).toContain('[ref_not_found]');
  });

  it('takes a screenshot: a PNG file and an image block', async () => {
    const shot = await invoke({ action: 'screenshot' });
    const path = (shot.details as { path: string }).path;
    expect(path).toContain(join(gw.stateDir, 'browser', 'main', 'screenshots'));
    const png = readFileSync(path);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const image = shot.content.find((b) => b.type === 'image') as { data: string; mimeType: string };
    expect(image.mimeType).toBe('image/png');
    expect(Buffer.from(image.data, 'base64').equals(png)).toBe(true);
    expect(shot.meta).toMatchObject({ action: 'screenshot', path });
  });

  it('answers a prompt it armed, and dismisses one it did not', async () => {
    await details({ action: 'navigate', url: `${pages.base}/dialog` });
    const snap = await snapshotText();
    await details({ action: 'dialog', accept: true, promptText: 'Ada' });
    const asked = await details({ action: 'act', request: { kind: 'click', ref: refOf(snap, 'button', 'Ask') } });
    expect(asked.dialogs).toEqual([{ type: 'prompt', message: 'Your name?', action: 'accepted' }]);
    await expect.poll(() => snapshotText()).toContain('answer: Ada');
    const confirmed = await details({ action: 'act', request: { kind: 'click', ref: refOf(snap, 'button', 'Confirm') } });
    expect(confirmed.dialogs).toEqual([{ type: 'confirm', message: 'Sure?', action: 'dismissed' }]);
    await expect.poll(() => snapshotText()).toContain('confirmed: false');
  });

  it('uploads a file from the uploads folder, and refuses one from elsewhere', async () => {
    await details({ action: 'navigate', url: `${pages.base}/upload` });
    const uploads = gw.gateway!.services.browser.service.paths('main').uploads;
    const file = join(uploads, 'notes.txt');
    writeFileSync(file, 'hello upload');
    const snap = await snapshotText();
    await details({ action: 'upload', paths: [file], inputRef: refOf(snap, 'button', 'Document') });
    await expect.poll(() => snapshotText()).toContain('notes.txt: hello upload');
    const outside = await failure({ action: 'upload', paths: ['/etc/hostname'], inputRef: refOf(snap, 'button', 'Document') });
    expect(outside.kind).toBe('denied');
    expect(outside.message).toContain('outside');
  });

  it('refuses a redirect to a private address it was not told to allow, and other schemes', async () => {
    const blocked = await failure({ action: 'navigate', url: `${pages.base}/to-private` });
    expect(blocked.message).toContain('[navigation_blocked]');
    expect(blocked.message).toContain('host localhost is a loopback, private or reserved address');
    expect(pages.requests).toContain('/to-private');
    expect(pages.requests).not.toContain('/secret');
    expect((await details({ action: 'tabs' })).tabs.find((t: { url: string }) => t.url.includes('secret'))).toBeUndefined();
    expect((await failure({ action: 'open', url: 'http://10.20.30.40/' })).message).toContain('host 10.20.30.40 is a loopback, private or reserved address');
    expect((await failure({ action: 'navigate', url: 'file:///etc/passwd' })).message).toContain('only http, https and about:blank');
    expect((await details({ action: 'navigate', url: 'about:blank' })).url).toBe('about:blank');
  });

  it("lets a page's WebSocket through to an allowed host, not to a refused one", async () => {
    await details({ action: 'navigate', url: `${pages.base}/ws` });
    await expect.poll(() => snapshotText(), { timeout: 15_000 }).toContain('ok got pong:ping');
    await expect.poll(() => snapshotText(), { timeout: 15_000 }).toContain('refused failed');
  });

  it('reports a page that never loads as a timeout', async () => {
    const error = await failure({ action: 'navigate', url: `${pages.base}/never`, timeoutMs: 1500 });
    expect(error.message).toContain('[timeout]');
    expect(error.message).toContain('within 1500 ms');
  });

  it('stops an action when the call is aborted, and the browser stays usable', async () => {
    await details({ action: 'navigate', url: `${pages.base}/form` });
    const controller = new AbortController();
    const started = Date.now();
    const waiting = failure({ action: 'act', request: { kind: 'wait', text: 'text that never appears', timeoutMs: 60_000 } }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    const error = await waiting;
    expect(error.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await snapshotText()).toContain('Sign up');
  });

  it('reads console messages, filtered by level', async () => {
    await details({ action: 'navigate', url: `${pages.base}/console` });
    const all = await details({ action: 'console' });
    expect(all.messages.map((m: { text: string }) => m.text)).toEqual(expect.arrayContaining(['hello log', 'bad thing']));
    const errors = await details({ action: 'console', level: 'error' });
    // The tab's buffer spans its navigations: earlier pages' errors may be there too, never a log.
    expect(errors.messages.map((m: { type: string; text: string }) => [m.type, m.text])).toContainEqual(['error', 'bad thing']);
    expect(errors.messages.every((m: { type: string }) => m.type === 'error')).toBe(true);
  });

  it('keeps cookies in the managed profile across a restart', async () => {
    await details({ action: 'navigate', url: `${pages.base}/cookie/set` });
    const before = (await details({ action: 'status' })).pid;
    expect((await details({ action: 'stop' })).running).toBe(false);
    await details({ action: 'navigate', url: `${pages.base}/cookie/check` });
    const after = await details({ action: 'status' });
    expect(after.running).toBe(true);
    expect(after.pid).not.toBe(before);
    expect(pages.cookies.get('/cookie/check')).toContain('session=kept-across-restarts');
  });

  it('shows operators the browser and its tabs; over HTTP the tool is denied by default', async () => {
    await details({ action: 'open', url: `${pages.base}/form` });
    const caller = gw.gateway!.createCaller({ id: 'operator', scopes: ['operator.read'] });
    const status = (await caller.call('browser.status', {})) as Record<string, any>;
    expect(status).toMatchObject({ enabled: true, available: true, headless: true, maxTabs: 8 });
    expect(status.browsers).toEqual([expect.objectContaining({ agentId: 'main', profile: 'openclaw', mode: 'managed', running: true, pid: expect.any(Number) })]);
    const { tabs } = (await caller.call('browser.tabs', { agentId: 'main' })) as { tabs: Record<string, unknown>[] };
    expect(tabs).toContainEqual(expect.objectContaining({ agentId: 'main', title: 'Form', url: `${pages.base}/form`, active: true }));
    const res = await fetch(`${gw.httpUrl}/tools/invoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'browser', args: { action: 'status' } }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, error: { type: 'tool_denied' } });
  });
});
