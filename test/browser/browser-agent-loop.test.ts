// The browser tool through the agent loop: the fake OpenAI server asks for browser actions and
// gets the snapshot as the tool result and the screenshot as an image; tool events carry the action,
// target and screenshot path. Then the gateway stops with the browser open: no Chromium is left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroupMembers } from '../../server/browser/process-tree.js';
import { chatTurn, uniqueKey } from '../chat/chat-kit.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { openReady, type RawSocket } from '../helpers/raw-socket.js';
import { startPageServer, type PageServer } from './browser-pages.js';

let upstream: FakeOpenAiServer;
let pages: PageServer;
let gw: RunningGateway;
let socket: RawSocket;

beforeAll(async () => {
  [upstream, pages] = await Promise.all([startFakeOpenAi(), startPageServer()]);
  gw = await startInProcess({
    ...TEST_CONFIG,
    models: { providers: { fake: { baseUrl: upstream.baseUrl, models: [{ id: 'vision', name: 'Vision', input: ['text', 'image'], contextWindow: 32_000 }] } } },
    agents: { defaults: { model: { primary: 'fake/vision' } } },
    browser: { allowPrivateHosts: ['127.0.0.1'] },
  });
  ({ socket } = await openReady(gw.url, gw.token, { scopes: ['operator.admin'], caps: ['tool-events'] }));
});
afterAll(async () => {
  socket?.close();
  await gw?.stop();
  await Promise.all([upstream?.close(), pages?.close()]);
});

describe('browser tool in an agent run', () => {
  it('gives the model the snapshot and the screenshot it asked for', async () => {
    upstream.enqueue(
      { toolCalls: [{ name: 'browser', arguments: { action: 'open', targetUrl: `${pages.base}/form` }, id: 'call_open' }] },
      { toolCalls: [{ name: 'browser', arguments: { action: 'snapshot', mode: 'efficient' }, id: 'call_snap' }] },
      { toolCalls: [{ name: 'browser', arguments: { action: 'screenshot' }, id: 'call_shot' }] },
      { text: 'The page is a sign-up form.' },
    );
    const turn = await chatTurn(socket, `agent:main:${uniqueKey('browse')}`, 'what is on the form page?');
    expect(turn.terminal.payload.state).toBe('final');

    const requests = upstream.requests.slice(-4);
    expect(requests[0]!.body.tools?.map((t) => t.function.name)).toContain('browser');
    const toolMessage = (n: number, id: string) => requests[n]!.body.messages!.find((m) => m.role === 'tool' && m.tool_call_id === id)!;
    expect(JSON.parse(toolMessage(1, 'call_open').content as string)).toMatchObject({ title: 'Form', url: `${pages.base}/form` });
    const snapshot = toolMessage(2, 'call_snap').content as string;
    expect(snapshot).toContain(`Page: Form — ${pages.base}/form`);
    expect(snapshot).toMatch(/textbox "Name" \[ref=(f\d+)?e\d+\]/);
    expect(snapshot).toMatch(/button "Send" \[ref=(f\d+)?e\d+\]/);

    // The screenshot: its path in the tool message, the picture in a user message right after the tool results.
    const last = requests[3]!.body.messages!;
    const shotIndex = last.findIndex((m) => m.role === 'tool' && m.tool_call_id === 'call_shot');
    expect(last[shotIndex]!.content).toMatch(/saved to .*\/browser\/main\/screenshots\/.*\.png/);
    const images = last[shotIndex + 1]!;
    expect(images.role).toBe('user');
    const parts = images.content as { type: string; image_url?: { url: string } }[];
    expect(parts[1]!.image_url!.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);

    // Operators see each step's action and target, and the screenshot path.
    const results = turn.agent.filter((f) => f.payload.stream === 'tool' && f.payload.data.phase === 'result').map((f) => f.payload.data);
    expect(results.map((d) => d.meta)).toEqual([
      expect.objectContaining({ action: 'open', url: `${pages.base}/form`, targetId: expect.any(String) }),
      expect.objectContaining({ action: 'snapshot', url: `${pages.base}/form` }),
      expect.objectContaining({ action: 'screenshot', path: expect.stringMatching(/\.png$/) }),
    ]);
    const starts = turn.agent.filter((f) => f.payload.stream === 'tool' && f.payload.data.phase === 'start').map((f) => f.payload.data.args);
    expect(starts[0]).toEqual({ action: 'open', targetUrl: `${pages.base}/form` });
  });

  it('leaves no Chromium process behind when the gateway stops with the browser open', async () => {
    const caller = gw.gateway!.createCaller({ id: 'operator', scopes: ['operator.read'] });
    const status = (await caller.call('browser.status', {})) as { browsers: { pid: number | null }[] };
    const pid = status.browsers[0]!.pid!;
    expect(pid).toBeGreaterThan(0);
    expect(processGroupMembers(pid).length).toBeGreaterThan(1);
    await gw.gateway!.stop();
    await expect.poll(() => processGroupMembers(pid), { timeout: 10_000 }).toEqual([]);
  });
});
