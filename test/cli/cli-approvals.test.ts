// `openclaw approvals list|allow|deny|watch` against a gateway process whose agent (the fake
// model) asks to run commands the exec policy wants approved: deciding from the command line,
// and `watch` prompting in a real pseudo-terminal as requests arrive.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startCli, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { jsonOf, runCli, startCliInPty, startCliProcess, type CliProcess } from '../helpers/cli-runner.js';
import type { PtySession } from '../helpers/pty-session.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
const leftovers: { kill(): void }[] = [];
const cli = (args: string[]) => runCli(args, { stateDir: gw.stateDir });

/** An agent turn whose model asks to run `command`, left running while it waits for a decision. */
function turnAsking(command: string, session: string): CliProcess {
  upstream.enqueue({ toolCalls: [{ name: 'exec', arguments: { command } }] }, { text: `done with ${command}` });
  const run = startCliProcess(['agent', '-m', `please run ${command}`, '--session-key', `agent:main:${session}`], { stateDir: gw.stateDir });
  leftovers.push({ kill: () => run.child.kill('SIGKILL') });
  return run;
}

/** The pending request for `command`, once the gateway has it. */
async function pendingFor(command: string): Promise<{ id: string }> {
  let found: { id: string } | undefined;
  await expect
    .poll(
      async () => {
        const list = jsonOf<{ id: string; request: { command: string } }[]>(await cli(['approvals', 'list', '--json']));
        found = list.find((e) => e.request.command === command);
        return found !== undefined;
      },
      { timeout: 30_000, interval: 300 },
    )
    .toBe(true);
  return found!;
}

function watcher(): PtySession {
  const session = startCliInPty(['approvals', 'watch'], { stateDir: gw.stateDir });
  leftovers.push(session);
  return session;
}

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startCli({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
}, 60_000);
afterAll(async () => {
  for (const l of leftovers) l.kill();
  await gw?.stop();
  await upstream?.close();
});

describe('approvals from the command line', () => {
  it('list shows what waits; allow lets the command run; deny refuses it', async () => {
    // With no approver connected the policy's fallback answers at once, so one watches (as JSON).
    const stream = startCliProcess(['approvals', 'watch', '--json'], { stateDir: gw.stateDir });
    leftovers.push({ kill: () => stream.child.kill('SIGKILL') });
    await expect.poll(() => stream.stdout(), { timeout: 30_000 }).toMatch(/^\{"type":"watching","url":"ws:/);

    const allowed = turnAsking('mkdir cli-allowed', 'cli-approvals-1');
    const first = await pendingFor('mkdir cli-allowed');
    const table = await cli(['approvals', 'list']);
    expect(table.stdout).toMatch(/^ID\s+COMMAND\s+AGENT\s+ASKED\s+EXPIRES$/m);
    expect(table.stdout).toMatch(new RegExp(`^${first.id.slice(0, 8)}\\s+mkdir cli-allowed\\s+main\\s+`, 'm'));
    const allow = await cli(['approvals', 'allow', first.id.slice(0, 8)]);
    expect(allow.code, allow.stderr).toBe(0);
    expect(allow.stdout).toBe(`allowed once ${first.id.slice(0, 8)}\n`);
    const done = await allowed.result;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe('done with mkdir cli-allowed\n');
    expect(existsSync(join(gw.stateDir, 'workspace', 'cli-allowed'))).toBe(true);

    const denied = turnAsking('mkdir cli-denied', 'cli-approvals-2');
    const second = await pendingFor('mkdir cli-denied');
    const deny = await cli(['approvals', 'deny', second.id, '--json']);
    expect(jsonOf(deny)).toMatchObject({ ok: true, id: second.id, decision: 'deny' });
    expect((await denied.result).code).toBe(0);
    expect(existsSync(join(gw.stateDir, 'workspace', 'cli-denied'))).toBe(false);

    // The JSON stream saw both requests and both decisions.
    await expect.poll(() => stream.stdout().split('\n').filter(Boolean).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    const events = stream.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; id: string; decision?: string });
    expect(events.filter((e) => e.id === first.id).map((e) => e.type)).toEqual(['requested', 'resolved']);
    expect(events.find((e) => e.id === second.id && e.type === 'resolved')?.decision).toBe('deny');
    stream.child.kill('SIGINT');
    expect((await stream.result).code).toBe(0);
  });

  it('an unknown id is a gateway error; no id is a usage error', async () => {
    const unknown = await cli(['approvals', 'allow', 'nosuchid']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/APPROVAL_NOT_FOUND/);
    const none = await cli(['approvals', 'deny']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the request id/);
  });
});

describe('approvals watch in a terminal', () => {
  it('prompts for each request as it arrives, withdraws one decided elsewhere, and Ctrl-C stops it', async () => {
    const term = watcher();
    await term.waitFor('watching for exec approval requests');

    const once = turnAsking('mkdir cli-watched', 'cli-watch-1');
    await term.waitFor(/exec approval \S{8} {2}\(expires in \d+m\)\n {2}\$ mkdir cli-watched\n[\s\S]*agent:\s+main[\s\S]*why:\s+mkdir cli-watched: \/usr\/bin\/mkdir is not on the allowlist[\s\S]*Allow\? \[o\]nce \/ \[a\]lways \/ \[d\]eny \/ \[s\]kip ›/);
    let mark = term.text().length;
    term.type('maybe\r');
    await term.waitFor('answer once / always / deny / skip', { from: mark });
    term.type('o\r');
    await term.waitFor(/allowed once \S{8}/, { from: mark });
    expect((await once.result).stdout).toBe('done with mkdir cli-watched\n');
    expect(existsSync(join(gw.stateDir, 'workspace', 'cli-watched'))).toBe(true);

    mark = term.text().length;
    const elsewhere = turnAsking('mkdir cli-elsewhere', 'cli-watch-2');
    await term.waitFor('$ mkdir cli-elsewhere', { from: mark });
    const pending = await pendingFor('mkdir cli-elsewhere');
    await cli(['approvals', 'deny', pending.id]);
    await term.waitFor(new RegExp(`${pending.id.slice(0, 8)} was decided elsewhere: deny by openclaw CLI`), { from: mark });
    expect((await elsewhere.result).code).toBe(0);

    term.type('\u0003');
    expect(await term.exited).toBe(0);
  });
});

describe('standing rules: approvals get and allowlist', () => {
  it('allowlist add lets a program run without asking; get lists the rule; remove takes it away', async () => {
    const empty = await cli(['approvals', 'get']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toMatch(/^file: +\S+/m);
    expect(empty.stdout).toMatch(/no rules/);

    const add = await cli(['approvals', 'allowlist', 'add', 'mkdir', '--agent', 'main']);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe('allowed mkdir for agent main: it runs without asking\n');
    const table = await cli(['approvals', 'get']);
    expect(table.stdout).toMatch(/^DECISION\s+PATTERN\s+ARGS\s+AGENT$/m);
    expect(table.stdout).toMatch(/^allow\s+mkdir\s+main$/m);
    expect(jsonOf(await cli(['approvals', 'get', '--json'])).overrides).toEqual([{ pattern: 'mkdir', decision: 'allow', agentId: 'main' }]);

    // Nobody is watching, so without the rule the fallback would deny it.
    const ruled = turnAsking('mkdir cli-ruled', 'cli-rules-1');
    const done = await ruled.result;
    expect(done.code, done.stderr).toBe(0);
    expect(existsSync(join(gw.stateDir, 'workspace', 'cli-ruled'))).toBe(true);

    const removed = jsonOf(await cli(['approvals', 'allowlist', 'remove', 'mkdir', '--agent', 'main', '--json']));
    expect(removed.overrides).toEqual([]);
    const again = await cli(['approvals', 'allowlist', 'remove', 'mkdir', '--agent', 'main']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no allow rule for "mkdir" for agent main/);
    const unruled = turnAsking('mkdir cli-unruled', 'cli-rules-2');
    expect((await unruled.result).code).toBe(0);
    expect(existsSync(join(gw.stateDir, 'workspace', 'cli-unruled'))).toBe(false);

    const none = await cli(['approvals', 'allowlist', 'add']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the program pattern.*"openclaw approvals allowlist add --help"/);
  });
});
