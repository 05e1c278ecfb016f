// `openclaw gateway discover`: lists the gateways advertising `_openclaw-gw._tcp` on the local network.
import { isIPv4 } from 'node:net';
import { browseGateways, type DiscoveredGateway } from '../discovery/gateway-browser.js';
import { CliError } from './cli-error.js';
import { parseOptions } from './parse-options.js';

export const DISCOVER_USAGE = `Usage: openclaw gateway discover [--timeout <ms>] [--interface <ipv4>] [--json]

Browses mDNS (Bonjour) for _openclaw-gw._tcp for --timeout ms (default 3000) and lists each
gateway: instance name, ws:// URL, host and TXT hints. TXT records are unauthenticated: check the
gateway (token, TLS pin) before trusting it. --interface picks the local address to query from.
`;

function describe(gateway: DiscoveredGateway): string {
  const hints = Object.entries(gateway.txt).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${gateway.name}\n  url:  ${gateway.url}\n  host: ${gateway.host}:${gateway.port} (${gateway.addresses.join(', ') || 'no address seen'})\n  txt:  ${hints}\n`;
}

export async function runDiscoverCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('gateway discover', args, {
    timeout: { type: 'string' },
    interface: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(DISCOVER_USAGE);
    return 0;
  }
  const timeoutMs = values.timeout === undefined ? 3_000 : Number(values.timeout);
  if (!/^\d+$/.test(values.timeout ?? '0') || timeoutMs < 100 || timeoutMs > 60_000) {
    throw new CliError(`--timeout must be a number of milliseconds from 100 to 60000 (got "${values.timeout}")`, 2);
  }
  if (values.interface !== undefined && !isIPv4(values.interface)) {
    throw new CliError(`--interface must be an IPv4 address of this machine (got "${values.interface}")`, 2);
  }
  let gateways: DiscoveredGateway[];
  try {
    gateways = await browseGateways({ timeoutMs, interfaceAddress: values.interface });
  } catch (error) {
    throw new CliError(`mDNS browsing failed: ${(error as Error).message} (is multicast available on this network? try --interface <address>)`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ gateways }, null, 2)}\n`);
    return 0;
  }
  if (gateways.length === 0) {
    process.stdout.write(`no gateway answered within ${timeoutMs} ms (a gateway advertises only when bound beyond loopback or with discovery.mdns.enabled)\n`);
    return 0;
  }
  process.stdout.write(gateways.map(describe).join(''));
  return 0;
}
