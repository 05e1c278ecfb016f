// `openclaw browser status|tabs` against a gateway process whose agent (the fake model) opens a
// page from a loopback server in a real Chromium: before, no browser; after, its tab.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPageServer, type PageServer } from '../browser/browser-pages.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { jsonOf, runCli } from '../helpers/cli-runner.js';

// Chromium starts inside the test on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let upstream: FakeOpenAiServer;
let pages: PageServer;
let gw: RunningGateway;
const cli = (args: string[]) => runCli(args, { stateDir: gw.stateDir, timeoutMs: 120_000 });
const ok = async (args: string[]) => {
  const result = await cli(args);
  expect(result.code, `openclaw ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
};

beforeAll(async () => {
  [upstream, pages] = await Promise.all([startFakeOpenAi(), startPageServer()]);
  gw = await startCli({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl), browser: { allowPrivateHosts: ['127.0.0.1'] } });
}, 90_000);
afterAll(async () => {
  await gw?.stop();
  await Promise.all([upstream?.close(), pages?.close()]);
});

describe('openclaw browser', () => {
  it('status and tabs before and after an agent opened a page', async () => {
    const before = await ok(['browser', 'status']);
    expect(before.stdout).toMatch(/^browser tool: on$/m);
    expect(before.stdout).toMatch(/^chromium: +\/\S+$/m);
    expect(before.stdout).toMatch(/^limits: +\d+ tabs, closes after \S+ idle$/m);
    expect(before.stdout).toMatch(/no browsers running/);
    expect((await ok(['browser', 'tabs'])).stdout).toBe('no tabs open\n');

    upstream.enqueue({ toolCalls: [{ name: 'browser', arguments: { action: 'open', targetUrl: `${pages.base}/form` } }] }, { text: 'opened it' });
    const turn = await cli(['agent', '-m', 'open the form', '--session-key', 'agent:main:cli-browser', '--timeout', '150']);
    expect(turn.code, turn.stderr).toBe(0);
    expect(turn.stdout).toBe('opened it\n');

    const tabs = await ok(['browser', 'tabs']);
    expect(tabs.stdout).toMatch(/^ {3}AGENT\s+TARGET\s+TITLE\s+URL$/m);
    expect(tabs.stdout).toMatch(new RegExp(`^\\*\\s+main\\s+\\S+\\s+Form\\s+${pages.base.replace(/[.]/g, '\\.')}/form$`, 'm'));
    expect(jsonOf(await ok(['browser', 'tabs', '--json'])).tabs).toEqual([expect.objectContaining({ agentId: 'main', title: 'Form', url: `${pages.base}/form`, active: true })]);

    const after = await ok(['browser', 'status']);
    expect(after.stdout).toMatch(/^AGENT\s+PROFILE\s+MODE\s+STATE\s+PID\s+TABS\s+STARTED$/m);
    expect(after.stdout).toMatch(/^main\s+\S+\s+managed\s+running\s+\d+\s+1\s+(just now|\d+s ago)$/m);
    expect(jsonOf(await ok(['browser', 'status', '--json', '--agent', 'main'])).browsers).toEqual([expect.objectContaining({ agentId: 'main', running: true, tabCount: 1 })]);

    const unknown = await cli(['browser', 'frobnicate']);
    expect(unknown.code).toBe(2);
  });
});
