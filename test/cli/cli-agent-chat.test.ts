// `openclaw agent` (one turn, the reply on stdout) and `openclaw chat` (interactive, driven through
// a real pseudo-terminal) against a gateway process and the fake model server: streaming, tool
// steps, Ctrl-C aborting the run (and a second one leaving), piped input, colour and spinners
// only on a terminal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { jsonOf, runCli, startCliInPty, startCliProcess } from '../helpers/cli-runner.js';
import type { PtySession } from '../helpers/pty-session.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
const sessions: PtySession[] = [];
const cli = (args: string[], input?: string) => runCli(args, { stateDir: gw.stateDir, ...(input !== undefined ? { input } : {}) });

function pty(args: string[], env: NodeJS.ProcessEnv = {}): PtySession {
  const session = startCliInPty(args, { stateDir: gw.stateDir, env });
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startCli({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
}, 60_000);
afterAll(async () => {
  for (const s of sessions) s.kill();
  await gw?.stop();
  await upstream?.close();
});

describe('openclaw agent', () => {
  it('one turn: the reply alone on stdout; --json gives the run\'s outcome', async () => {
    upstream.enqueue({ text: 'Hello from the fake model.' });
    const out = await cli(['agent', '--message', 'hi there', '--session-key', 'agent:main:cli-agent']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('Hello from the fake model.\n');
    expect(out.stderr).toBe('');
    upstream.enqueue({ text: 'Second answer.' });
    const json = await cli(['agent', '-m', 'again', '--session-key', 'agent:main:cli-agent', '--json']);
    expect(jsonOf(json)).toMatchObject({ status: 'ok', summary: 'completed', result: { payloads: [{ text: 'Second answer.' }] } });
    const sent = upstream.requests.at(-1)!.body.messages!.map((m) => m.content);
    expect(sent).toContain('hi there');
  });

  it('a failing model is exit 1 with the gateway\'s code; no message is a usage error', async () => {
    upstream.enqueue({ status: 400, errorBody: { error: { message: 'bad request from the fake' } } });
    const failed = await cli(['agent', '-m', 'fail please', '--session-key', 'agent:main:cli-agent-fail']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toMatch(/^openclaw: .*\[UNAVAILABLE\/PROVIDER_ERROR\]$/m);
    const none = await cli(['agent']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/the message is missing: pass --message <text>; run "openclaw agent --help"/);
    const timeout = await cli(['agent', '-m', 'x', '--timeout', '0']);
    expect(timeout.code).toBe(2);
  });

  it('Ctrl-C (SIGINT) aborts the run on the gateway and exits 130', async () => {
    upstream.enqueue({ chunks: ['Once ', 'upon ', 'a time'], hangAfterChunks: 1 });
    const before = upstream.requests.length;
    const run = startCliProcess(['agent', '-m', 'tell a long story', '--session-key', 'agent:main:cli-agent-abort'], { stateDir: gw.stateDir });
    const request = await upstream.waitForRequest(before + 1, 30_000);
    run.child.kill('SIGINT');
    const result = await run.result;
    expect(result.code).toBe(130);
    await expect.poll(() => request.clientClosed, { timeout: 15_000 }).toBe(true);
    const history = jsonOf(await cli(['sessions', 'show', 'agent:main:cli-agent-abort', '--json']));
    expect(JSON.stringify(history.messages)).toContain('tell a long story');
  });

  it('on a terminal a turn that takes a while shows a spinner on stderr; piped, nothing but the reply', async () => {
    upstream.enqueue({ chunks: ['slow ', 'but ', 'there'], chunkDelayMs: 900 });
    const term = pty(['agent', '-m', 'take your time', '--session-key', 'agent:main:cli-agent-tty']);
    await term.waitFor('slow but there');
    expect(await term.exited).toBe(0);
    expect(term.text()).toMatch(/(waiting for the agent|the agent is working|writing the reply)…/);
    upstream.enqueue({ chunks: ['slow ', 'again'], chunkDelayMs: 900 });
    const piped = await cli(['agent', '-m', 'take your time', '--session-key', 'agent:main:cli-agent-tty']);
    expect(piped.stdout).toBe('slow again\n');
    expect(piped.stderr).toBe('');
  });
});

describe('openclaw chat in a terminal', () => {
  it('streams replies, shows tool steps, aborts a reply on Ctrl-C and leaves on a second Ctrl-C', async () => {
    const term = pty(['chat', '--session', 'agent:main:cli-chat']);
    await term.waitFor('you ›');
    expect(term.text()).toMatch(/chatting with the default agent in session agent:main:cli-chat at ws:\/\//);

    upstream.enqueue({ chunks: ['The answer ', 'is ', 'forty-two.'], chunkDelayMs: 50 });
    let mark = term.text().length;
    term.type('what is the answer?\r');
    await term.waitFor(/assistant › The answer is forty-two\.\n/, { from: mark });
    await term.waitFor('you ›', { from: term.text().indexOf('forty-two') });
    expect(term.raw()).toMatch(/\u001b\[3\dm/); // a terminal gets colour

    upstream.enqueue({ toolCalls: [{ name: 'sessions_list', arguments: { limit: 3 } }] }, { text: 'I looked at the sessions.' });
    mark = term.text().length;
    term.type('look at the sessions\r');
    await term.waitFor(/⚙ sessions_list \{"limit":3\}\n[\s\S]*I looked at the sessions\./, { from: mark });
    await term.waitFor('you ›', { from: term.text().indexOf('I looked at the sessions') });

    upstream.enqueue({ chunks: ['Chapter one. ', 'It was a dark night'], hangAfterChunks: 1 });
    const before = upstream.requests.length;
    mark = term.text().length;
    term.type('tell me a long story\r');
    const request = await upstream.waitForRequest(before + 1, 30_000);
    await term.waitFor('Chapter one.', { from: mark });
    term.type('\u0003');
    await term.waitFor('(aborted)', { from: mark });
    await expect.poll(() => request.clientClosed, { timeout: 15_000 }).toBe(true);
    await term.waitFor('you ›', { from: term.text().indexOf('(aborted)') });

    term.type('\u0003');
    expect(await term.exited).toBe(0);
    const history = jsonOf(await cli(['sessions', 'show', 'agent:main:cli-chat', '--json', '--limit', '50']));
    const texts = JSON.stringify(history.messages);
    expect(texts).toContain('what is the answer?');
    expect(texts).toContain('forty-two');
  });

  it('Ctrl-D or /exit leaves; NO_COLOR means no colour even on a terminal', async () => {
    const term = pty(['chat'], { NO_COLOR: '1' });
    await term.waitFor('you ›');
    term.type('/exit\r');
    expect(await term.exited).toBe(0);
    expect(term.raw()).not.toMatch(/\u001b\[3\dm/);
    const eof = pty(['chat']);
    await eof.waitFor('you ›');
    eof.type('\u0004');
    expect(await eof.exited).toBe(0);
  });
});

describe('openclaw chat with piped input', () => {
  it('sends each line in turn and prints each reply, then exits 0', async () => {
    upstream.enqueue({ text: 'first reply' }, { text: 'second reply' });
    const out = await cli(['chat', '--session', 'agent:main:cli-chat-pipe'], 'first line\nsecond line\n');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('assistant › first reply\nassistant › second reply\n');
    expect(out.stdout).not.toMatch(/\u001b\[/);
  });
});
