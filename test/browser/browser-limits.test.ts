// The browser's bounds on a real Chromium: tabs per agent, the download size cap
// and folder, and closing when idle (its processes gone with it).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserService } from '../../server/browser/browser-service.js';
import { registerBrowserTool } from '../../server/browser/browser-tool.js';
import { processGroupMembers } from '../../server/browser/process-tree.js';
import { ToolError } from '../../server/tools/tool-error.js';
import { ToolRegistry } from '../../server/tools/tool-registry.js';
import type { ToolContent } from '../../server/tools/tool-result.js';
import { startPageServer, type PageServer } from './browser-pages.js';

let pages: PageServer;
let stateDir: string;
let service: BrowserService;
let registry: ToolRegistry;
const config = { allowPrivateHosts: ['127.0.0.1'], maxTabs: 2, maxDownloadBytes: 1_000_000, idleTimeoutMs: 0 };

const details = async (args: Record<string, unknown>): Promise<Record<string, any>> =>
  ((await registry.invoke('browser', args, { agentId: 'main', caller: { kind: 'internal' }, signal: new AbortController().signal })) as ToolContent).details as Record<string, any>;
const refOf = (snapshot: string, text: string): string => /\[ref=((?:f\d+)?e\d+)\]/.exec(snapshot.split('\n').find((l) => l.includes(text))!)![1]!;

beforeAll(async () => {
  pages = await startPageServer();
  stateDir = mkdtempSync(join(tmpdir(), 'openclaw-browser-limits-'));
  service = new BrowserService({ stateDir, config: () => config, env: {}, logger: { info: () => {}, warn: () => {} } });
  registry = new ToolRegistry();
  registerBrowserTool(registry, { service, workspaceOf: () => stateDir });
});
afterAll(async () => {
  await service?.shutdown();
  await pages?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('browser limits', () => {
  it('keeps at most maxTabs tabs: open past the limit is refused until one closes', async () => {
    await details({ action: 'open', url: `${pages.base}/files` });
    const second = await details({ action: 'open', url: `${pages.base}/form` });
    const error = await registry.invoke('browser', { action: 'open', url: `${pages.base}/form` }, { agentId: 'main', caller: { kind: 'internal' }, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toContain('[tab_limit]');
    await details({ action: 'close', targetId: second.targetId });
    expect((await details({ action: 'tabs' })).tabs).toHaveLength(1);
  });

  it('saves a download to the agent folder and cancels one over the cap', async () => {
    const snap = (await details({ action: 'snapshot' })).snapshot as string;
    await details({ action: 'act', request: { kind: 'click', ref: refOf(snap, 'link "small"') } });
    await details({ action: 'act', request: { kind: 'click', ref: refOf(snap, 'link "large"') } });
    await expect.poll(async () => (await details({ action: 'status' })).downloads.length, { timeout: 20_000 }).toBe(2);
    const downloads = (await details({ action: 'status' })).downloads as { suggestedFilename: string; state: string; path?: string; reason?: string }[];
    const small = downloads.find((d) => d.suggestedFilename === 'small.bin')!;
    expect(small.state).toBe('saved');
    expect(small.path!.startsWith(join(stateDir, 'browser', 'main', 'downloads'))).toBe(true);
    expect(readFileSync(small.path!).length).toBe(10_000);
    const large = downloads.find((d) => d.suggestedFilename === 'large.bin')!;
    expect(large).toMatchObject({ state: 'cancelled', reason: expect.stringContaining('browser.maxDownloadBytes') });
    expect(large.path).toBeUndefined();
  });

  it('closes the browser when idle, processes and all', async () => {
    const pid = (await details({ action: 'status' })).pid as number;
    expect(processGroupMembers(pid).length).toBeGreaterThan(0);
    config.idleTimeoutMs = 500;
    await details({ action: 'tabs' }); // the idle timer is armed after each action
    await expect.poll(async () => (await details({ action: 'status' })).running, { timeout: 15_000 }).toBe(false);
    await expect.poll(() => processGroupMembers(pid), { timeout: 10_000 }).toEqual([]);
    expect(existsSync(join(stateDir, 'browser', 'main', 'user-data'))).toBe(true);
  });
});
