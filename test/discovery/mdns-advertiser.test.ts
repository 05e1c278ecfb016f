// The advertisement's decisions and records, without sending anything (multicast is tested in
// mdns-discovery.test.ts inside a private network namespace).
import { describe, expect, it } from 'vitest';
import { gatewayTxt, isCiaoCancellation, mdnsHostname, shouldAdvertise } from '../../server/discovery/mdns-advertiser.js';

describe('when the gateway advertises', () => {
  const env = {};
  it('only beyond loopback by default', () => {
    expect(shouldAdvertise({ discovery: undefined, env, host: '127.0.0.1' })).toBe(false);
    expect(shouldAdvertise({ discovery: undefined, env, host: '::1' })).toBe(false);
    expect(shouldAdvertise({ discovery: undefined, env, host: 'localhost' })).toBe(false);
    expect(shouldAdvertise({ discovery: undefined, env, host: '0.0.0.0' })).toBe(true);
    expect(shouldAdvertise({ discovery: undefined, env, host: '192.168.1.20' })).toBe(true);
  });
  it('on loopback when enabled; never with mode off, enabled false or OPENCLAW_DISABLE_BONJOUR=1', () => {
    expect(shouldAdvertise({ discovery: { mdns: { enabled: true } }, env, host: '127.0.0.1' })).toBe(true);
    expect(shouldAdvertise({ discovery: { mdns: { mode: 'off', enabled: true } }, env, host: '0.0.0.0' })).toBe(false);
    expect(shouldAdvertise({ discovery: { mdns: { enabled: false } }, env, host: '0.0.0.0' })).toBe(false);
    expect(shouldAdvertise({ discovery: undefined, env: { OPENCLAW_DISABLE_BONJOUR: '1' }, host: '0.0.0.0' })).toBe(false);
  });
});

describe('advertised records', () => {
  it('the host name is the first DNS label of the configured or env name, sanitised', () => {
    expect(mdnsHostname({ discovery: undefined, env: {} })).toBe('openclaw');
    expect(mdnsHostname({ discovery: undefined, env: { OPENCLAW_MDNS_HOSTNAME: 'studio.lan' } })).toBe('studio');
    expect(mdnsHostname({ discovery: { mdns: { hostname: 'my box!' } }, env: { OPENCLAW_MDNS_HOSTNAME: 'x' } })).toBe('my-box');
    expect(mdnsHostname({ discovery: { mdns: { hostname: '...' } }, env: {} })).toBe('openclaw');
  });
  it('minimal mode leaves out cliPath, sshPort and tailnetDns; full mode has them', () => {
    const env = { OPENCLAW_TAILNET_DNS: 'box.tail.ts.net', OPENCLAW_SSH_PORT: '2222' };
    const base = { env, host: '0.0.0.0', port: 18789, version: '1' };
    const minimal = gatewayTxt({ ...base, discovery: { mdns: { displayName: 'Studio' } } });
    expect(minimal).toEqual({ role: 'gateway', gatewayPort: '18789', lanHost: 'openclaw.local', displayName: 'Studio', transport: 'gateway' });
    const full = gatewayTxt({ ...base, discovery: { mdns: { mode: 'full' } } });
    expect(full).toMatchObject({ tailnetDns: 'box.tail.ts.net', sshPort: '2222' });
    expect(typeof full.cliPath).toBe('string');
  });
  it("only ciao's cancelled-probe rejections count as expected", () => {
    expect(isCiaoCancellation(new Error('CIAO PROBING CANCELLED'))).toBe(true);
    expect(isCiaoCancellation('CIAO PROBING CANCELLED')).toBe(true);
    expect(isCiaoCancellation(new Error('EADDRINUSE'))).toBe(false);
    expect(isCiaoCancellation(undefined)).toBe(false);
  });
});
