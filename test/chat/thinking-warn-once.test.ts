// A thinking level from config that names no level is skipped on every run but logged once per
// source and value, not on every run (a bad config would otherwise fill the log).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatTurn, uniqueKey } from './chat-kit.js';

const BAD_DEFAULT = uniqueKey('not-a-level');
const BAD_AGENT = uniqueKey('also-not-a-level');

let gw: RunningGateway;
let ws: RawSocket;

beforeAll(async () => {
  gw = await startInProcess({
    ...TEST_CONFIG,
    agents: { defaults: { thinkingDefault: BAD_DEFAULT }, list: [{ id: 'main', default: true }, { id: 'odd', thinkingDefault: BAD_AGENT }] },
  });
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
});

/** Log lines about ignored thinking levels, as { source, value }. */
async function ignoredLevels(): Promise<{ source: string; value: string }[]> {
  await gw.gateway!.runtime.logger.flush();
  return readFileSync(join(gw.stateDir, 'logs', 'gateway.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('unknown thinking level ignored'))
    .map((line) => JSON.parse(line) as { source: string; value: string })
    .map(({ source, value }) => ({ source, value }));
}

it('logs a bad thinkingDefault once per source and value, however many runs use it', async () => {
  for (let i = 0; i < 3; i++) {
    const run = await chatTurn(ws, `agent:main:${uniqueKey('warn')}`, `hello ${i}`);
    expect(run.terminal.payload.state, JSON.stringify(run.terminal.payload)).toBe('final');
  }
  expect(await ignoredLevels()).toEqual([{ source: 'agents.defaults.thinkingDefault', value: BAD_DEFAULT }]);

  // Another source with its own bad value is logged once too; the defaults' one stays quiet.
  for (let i = 0; i < 2; i++) {
    const run = await chatTurn(ws, `agent:odd:${uniqueKey('warn')}`, `hello odd ${i}`);
    expect(run.terminal.payload.state, JSON.stringify(run.terminal.payload)).toBe('final');
  }
  expect(await ignoredLevels()).toEqual([
    { source: 'agents.defaults.thinkingDefault', value: BAD_DEFAULT },
    { source: 'agents.list[].thinkingDefault', value: BAD_AGENT },
  ]);
});
