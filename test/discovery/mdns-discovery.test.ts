// mDNS advertisement and `openclaw gateway discover`, with real multicast kept inside two private
// network namespaces (see test/helpers/netns-pair.ts): gateways run in the outer one, the browser
// (the discover CLI) in the inner one, across a veth pair.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INNER_ADDRESS, netnsSupport, OUTER_ADDRESS, runInNetnsPair } from '../helpers/netns-pair.js';
import { TEST_CONFIG } from '../helpers/gateway-targets.js';

const BIN = resolve(import.meta.dirname, '../../bin/openclaw.js');
const support = netnsSupport();
if (!support.ok) console.warn(`[mdns-discovery] skipped: ${support.reason}`);

interface Discovered {
  name: string;
  host: string;
  port: number;
  addresses: string[];
  txt: Record<string, string>;
  url: string;
}

function stateDir(root: string, name: string, config: object): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openclaw.json'), JSON.stringify(config, null, 2));
  return dir;
}

describe.skipIf(!support.ok)('mDNS discovery inside a private network namespace', () => {
  let root: string;
  let result: { code: number | null; stdout: string; stderr: string };
  const read = (file: string): string => readFileSync(join(root, file), 'utf8');
  const gateways = (file: string): Discovered[] => (JSON.parse(read(file)) as { gateways: Discovered[] }).gateways;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'openclaw-mdns-'));
    const alpha = stateDir(root, 'alpha', TEST_CONFIG);
    const beta = stateDir(root, 'beta', { ...TEST_CONFIG, discovery: { mdns: { mode: 'off' } } });
    const delta = stateDir(root, 'delta', TEST_CONFIG);
    const gateway = (dir: string, host: string) => `OPENCLAW_MDNS_HOSTNAME=${host} node "$BIN" gateway --bind ${OUTER_ADDRESS} --port 0 --state-dir "${dir}"`;
    const discover = (file: string, ms: number) => `$INNER node "$BIN" gateway discover --interface ${INNER_ADDRESS} --timeout ${ms} --json > "$OUT/${file}"`;
    const script = `
cd "$OUT"
${gateway(alpha, 'alpha')} > alpha.log 2>&1 &
ALPHA=$!
${gateway(beta, 'beta')} > beta.log 2>&1 &
BETA=$!
wait_for alpha.log "advertising over mDNS" 90
wait_for beta.log "listening on" 90
${discover('seen.json', 3000)}
# delta stops while its probe is still running: ciao cancels it, the gateway must exit cleanly.
${gateway(delta, 'delta')} > delta.log 2>&1 &
DELTA=$!
wait_for delta.log "listening on" 90
kill -TERM $DELTA; wait $DELTA; echo $? > delta.exit
kill -TERM $ALPHA; wait $ALPHA; echo $? > alpha.exit
kill -TERM $BETA; wait $BETA; echo $? > beta.exit
${discover('after.json', 1500)}
$INNER node "$BIN" gateway discover --interface ${INNER_ADDRESS} --timeout 500 > none.txt
`;
    const env: NodeJS.ProcessEnv = { ...process.env, BIN, OUT: root };
    for (const key of ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_CONFIG_PATH', 'OPENCLAW_STATE_DIR', 'OPENCLAW_DISABLE_BONJOUR', 'OPENCLAW_MDNS_HOSTNAME', 'DEBUG']) delete env[key];
    result = await runInNetnsPair(script, env, 240_000);
  }, 250_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the script ran to the end', () => {
    expect(result.stderr).not.toMatch(/timed out waiting/);
    expect(result.code).toBe(0);
  });

  it('a gateway bound beyond loopback is found with its port and TXT hints (minimal mode)', () => {
    const port = Number(/listening on ws:\/\/[\d.]+:(\d+)\//.exec(read('alpha.log'))?.[1]);
    const alpha = gateways('seen.json').find((g) => g.name === 'alpha (OpenClaw)');
    expect(alpha, read('seen.json')).toBeDefined();
    expect(alpha!.port).toBe(port);
    expect(alpha!.host).toBe('alpha.local');
    expect(alpha!.addresses).toContain(OUTER_ADDRESS);
    expect(alpha!.url).toBe(`ws://${OUTER_ADDRESS}:${port}/ws`);
    expect(alpha!.txt).toMatchObject({ role: 'gateway', gatewayPort: String(port), lanHost: 'alpha.local', transport: 'gateway' });
    expect(alpha!.txt.displayName).toBeTruthy();
    expect(alpha!.txt).not.toHaveProperty('cliPath');
    expect(alpha!.txt).not.toHaveProperty('sshPort');
  });

  it('discovery.mdns.mode off keeps a gateway silent', () => {
    expect(read('beta.log')).toMatch(/listening on/);
    expect(gateways('seen.json').map((g) => g.name)).not.toContain('beta (OpenClaw)');
  });

  it('stopping during the probe (a cancelled probe) exits cleanly', () => {
    expect(read('delta.exit').trim()).toBe('0');
    expect(read('delta.log')).not.toMatch(/unhandled|PROBING CANCELLED|Error:/i);
  });

  it('a stopped gateway sends its goodbye and exits cleanly; the text listing says when nothing answered', () => {
    expect(read('alpha.exit').trim()).toBe('0');
    expect(read('beta.exit').trim()).toBe('0');
    expect(read('alpha.log')).not.toMatch(/unhandled|mDNS shutdown failed/i);
    expect(gateways('after.json')).toEqual([]);
    expect(read('none.txt')).toMatch(/no gateway answered within 500 ms/);
  });
});
