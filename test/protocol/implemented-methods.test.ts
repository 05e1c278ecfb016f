// Which methods this gateway really serves. Planned ones are not advertised and answer
// UNAVAILABLE / NOT_IMPLEMENTED. Implementing a method = adding its name to IMPLEMENTED below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_TABLE } from '../../generated/server/method-table.js';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';

/** Every wire name (canonical or alias) that has a real handler today, sorted. */
const IMPLEMENTED = [
  'agent',
  'agent.wait',
  'agents.create',
  'agents.delete',
  'agents.files.get',
  'agents.files.list',
  'agents.files.set',
  'agents.list',
  'agents.update',
  'browser.status',
  'browser.tabs',
  'channel.pairing.approve',
  'channel.pairing.list',
  'channels.logout',
  'channels.start',
  'channels.status',
  'channels.stop',
  'chat.abort',
  'chat.history',
  'chat.inject',
  'chat.send',
  'config.apply',
  'config.get',
  'config.patch',
  'config.schema',
  'config.set',
  'cron.add',
  'cron.list',
  'cron.remove',
  'cron.run',
  'cron.runs',
  'cron.status',
  'cron.update',
  'device.pair.approve',
  'device.pair.list',
  'device.pair.reject',
  'device.pair.remove',
  'device.token.revoke',
  'device.token.rotate',
  'exec.approval.get',
  'exec.approval.list',
  'exec.approval.request',
  'exec.approval.resolve',
  'exec.approval.waitDecision',
  'exec.approvals.get',
  'exec.approvals.list',
  'exec.approvals.overrides',
  'exec.approvals.overrides.set',
  'exec.approvals.resolve',
  'exec.approvals.set',
  'health',
  'logs.tail',
  'memory.search',
  'memory.status',
  'models.list',
  'node.describe',
  'node.invoke',
  'node.list',
  'node.pair.approve',
  'node.pair.list',
  'node.pair.reject',
  'node.pair.remove',
  'node.pair.request',
  'node.pair.verify',
  'node.rename',
  'send',
  'sessions.compact',
  'sessions.create',
  'sessions.delete',
  'sessions.list',
  'sessions.messages.subscribe',
  'sessions.messages.unsubscribe',
  'sessions.patch',
  'sessions.preview',
  'sessions.reset',
  'sessions.spawn',
  'sessions.subscribe',
  'sessions.unsubscribe',
  'skills.install',
  'skills.status',
  'skills.update',
  'status',
  'tools.catalog',
  'usage.cost',
  'usage.status',
];

/** Implemented for role `node` connections only, so never offered to an operator (test/skills and test/nodes cover them). */
const NODE_ONLY = ['node.event', 'node.invoke.result', 'skills.bins'];

const ALL_WIRE_NAMES = Object.values(METHOD_TABLE)
  .flatMap((e) => [e.name, ...e.aliases])
  .filter((n) => n !== 'connect');

describe('implemented methods', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess();
  });
  afterAll(() => gw?.stop());

  it('the list above is sorted and names real methods', () => {
    expect(IMPLEMENTED).toEqual([...IMPLEMENTED].sort());
    for (const name of IMPLEMENTED) expect(ALL_WIRE_NAMES).toContain(name);
  });

  it('an admin connection is offered exactly the implemented methods', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token, { scopes: ['operator.admin'] });
    expect(hello.features.methods).toEqual(IMPLEMENTED);
    socket.close();
  });

  it('every planned method answers UNAVAILABLE with details.code NOT_IMPLEMENTED', async () => {
    const planned = ALL_WIRE_NAMES.filter((n) => !IMPLEMENTED.includes(n) && !NODE_ONLY.includes(n));
    const { socket } = await openReady(gw.url, gw.token, { scopes: ['operator.admin'] });
    for (const name of planned) {
      const res = await call(socket, name, {});
      expect(res.error, name).toMatchObject({ code: 'UNAVAILABLE', details: { code: 'NOT_IMPLEMENTED' } });
      expect(res.error!.message).toContain('not implemented');
    }
    socket.close();
  });
});
