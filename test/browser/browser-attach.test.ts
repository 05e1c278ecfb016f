// Attach mode: the tool drives a Chromium someone else started with a remote-debugging port
// (browser.cdpUrl), in a context of its own whose traffic still goes through the guard; stopping
// the tool leaves that Chromium running.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserService } from '../../server/browser/browser-service.js';
import { registerBrowserTool } from '../../server/browser/browser-tool.js';
import { chromiumLaunchArgs, findChromium } from '../../server/browser/chromium-executable.js';
import { killProcessGroup } from '../../server/browser/process-tree.js';
import { ToolError } from '../../server/tools/tool-error.js';
import { ToolRegistry } from '../../server/tools/tool-registry.js';
import type { ToolContent } from '../../server/tools/tool-result.js';
import { startPageServer, type PageServer } from './browser-pages.js';

let pages: PageServer;
let dir: string;
let external: ChildProcess;
let cdpUrl: string;
let service: BrowserService;
let registry: ToolRegistry;

const invoke = (args: Record<string, unknown>) => registry.invoke('browser', args, { agentId: 'main', caller: { kind: 'internal' }, signal: new AbortController().signal });
const details = async (args: Record<string, unknown>): Promise<Record<string, any>> => ((await invoke(args)) as ToolContent).details as Record<string, any>;

beforeAll(async () => {
  pages = await startPageServer();
  dir = mkdtempSync(join(tmpdir(), 'openclaw-browser-attach-'));
  const chromium = findChromium();
  if (!chromium.found) throw new Error(chromium.error);
  external = spawn(chromium.path, ['--headless', '--remote-debugging-port=0', `--user-data-dir=${join(dir, 'external')}`, ...chromiumLaunchArgs({ noSandbox: true, gpu: false }), 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so the test can end it with its helpers.
    detached: true,
  });
  cdpUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    external.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    external.once('exit', (code) => reject(new Error(`chromium exited ${code}: ${err}`)));
  });
  service = new BrowserService({ stateDir: dir, config: () => ({ cdpUrl, allowPrivateHosts: ['127.0.0.1'] }), env: {}, logger: { info: () => {}, warn: () => {} } });
  registry = new ToolRegistry();
  registerBrowserTool(registry, { service, workspaceOf: () => dir });
});
afterAll(async () => {
  await service?.shutdown();
  if (external?.pid) killProcessGroup(external.pid);
  await pages?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser attached over CDP', () => {
  it('opens pages in the attached Chromium, still behind the navigation guard', async () => {
    const opened = await details({ action: 'open', url: `${pages.base}/form` });
    expect(opened.title).toBe('Form');
    expect(await details({ action: 'status' })).toMatchObject({ running: true, pid: null, cdpUrl, attachOnly: true, userDataDir: null });
    const error = await invoke({ action: 'navigate', url: `${pages.base}/to-private` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toContain('[navigation_blocked]');
    expect(pages.requests).not.toContain('/secret');
  });

  it('leaves the attached Chromium running when it stops', async () => {
    expect((await details({ action: 'stop' })).running).toBe(false);
    expect(external.exitCode).toBeNull();
    // Attaching again works.
    expect((await details({ action: 'open', url: `${pages.base}/form` })).title).toBe('Form');
  });
});
