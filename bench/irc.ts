// IRC turn overhead: a DM from a raw IRC client through a real ngircd → the gateway (in this
// process) → the agent (fake OpenAI server) → the reply back at the client, minus the model's own
// time: the very same model request (the body the gateway sent) made directly to the fake right
// after, as bench/turn-overhead.ts does. Baseline, same run: the same message answered by a raw
// IRC client (two server hops, no gateway). p50 over 200 turns; ngircd's per-client command
// penalties are off, so its flood throttling does not count as gateway time.
// Run: node --import tsx bench/irc.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGateway } from '../server/gateway.js';
import { startFakeOpenAi } from '../test/helpers/fake-openai-server.js';
import { IrcTestClient } from '../test/helpers/irc-test-client.js';
import { startNgircd } from '../test/helpers/ngircd-server.js';
import type { BenchResult } from './bench-result.js';
import { percentile, round } from './latency-stats.js';

const TURNS = 200;
const WARMUP = 20;
const clock = (): number => performance.timeOrigin + performance.now();

export async function run(): Promise<BenchResult[]> {
  const irc = await startNgircd({ noPenalties: true });
  const upstream = await startFakeOpenAi();
  upstream.setDefault({ text: 'Sure, here is a short answer to that.' });
  /** One direct model request with the body the gateway sent: the model's own time, as a client sees it. */
  const direct = async (body: unknown): Promise<number> => {
    const started = clock();
    const res = await fetch(`${upstream.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.text();
    return clock() - started;
  };
  const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-irc-bench-'));
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    JSON.stringify({
      gateway: { auth: { token: 'bench-token-0123456789' } },
      models: { providers: { fake: { baseUrl: upstream.baseUrl, models: [{ id: 'fake-model', contextWindow: 128_000 }] } } },
      agents: { defaults: { model: { primary: 'fake/fake-model' } } },
      channels: { irc: { host: '127.0.0.1', port: irc.port, tls: false, nick: 'benchbot', dmPolicy: 'allowlist', allowFrom: ['*'], floodControl: { burst: 10_000, intervalMs: 0 } } },
    }),
  );
  const gateway = await createGateway({ stateDir, port: 0, env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: '', OPENCLAW_CONFIG_PATH: '', OPENCLAW_STATE_DIR: '' } });
  await gateway.listen();
  const client = await IrcTestClient.connect(irc.port, 'bencher');
  const echo = await IrcTestClient.connect(irc.port, 'echoer');
  try {
    const deadline = Date.now() + 20_000;
    while (!gateway.services.channels.manager.supervisor('irc', 'default')?.connection) {
      if (Date.now() > deadline) throw new Error('the IRC account did not connect');
      await new Promise((r) => setTimeout(r, 20));
    }
    // Baseline: the same round trip through the server, answered by a raw client at once.
    const baseline: number[] = [];
    for (let i = 0; i < TURNS + WARMUP; i++) {
      const wait = echo.message('bencher', 'echoer');
      const started = clock();
      client.privmsg('echoer', `ping ${i}`);
      await wait;
      echo.privmsg('bencher', 'Sure, here is a short answer to that.');
      await client.message('echoer');
      if (i >= WARMUP) baseline.push(clock() - started);
    }
    const overhead: number[] = [];
    for (let i = 0; i < TURNS + WARMUP; i++) {
      const requestIndex = upstream.requests.length;
      const started = clock();
      client.privmsg('benchbot', `question number ${i}`);
      await client.message('benchbot');
      const ended = clock();
      const body = upstream.requests[requestIndex]?.body;
      if (!body) throw new Error(`turn ${i}: no model request was seen`);
      const model = await direct(body);
      if (i >= WARMUP) overhead.push(ended - started - model);
    }
    const p50 = round(percentile(overhead, 0.5));
    return [
      { name: 'IRC DM → reply, minus model time (p50)', value: p50, unit: 'ms', target: '≤ 10 ms', baseline: round(percentile(baseline, 0.5)), pass: p50 <= 10 },
      { name: 'IRC DM → reply, minus model time (p99)', value: round(percentile(overhead, 0.99)), unit: 'ms', baseline: round(percentile(baseline, 0.99)) },
    ];
  } finally {
    client.close();
    echo.close();
    await gateway.stop();
    await upstream.close();
    await irc.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit} (baseline ${r.baseline} ${r.unit}, target ${r.target ?? '-'})`);
}
