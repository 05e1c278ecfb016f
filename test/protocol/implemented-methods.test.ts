// Which methods this gateway really serves, derived from its handler set: a slot holding a function
// is implemented, a planned one (NOT_IMPLEMENTED) is not advertised and answers UNAVAILABLE /
// NOT_IMPLEMENTED. Implementing a method = replacing its `planned([...])` entry with a handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_TABLE } from '../../generated/server/method-table.js';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';

const ALL_WIRE_NAMES = Object.values(METHOD_TABLE)
  .flatMap((e) => [e.name, ...e.aliases])
  .filter((n) => n !== 'connect')
  .sort();

describe('implemented methods', () => {
  let gw: RunningGateway;
  let implemented: string[];
  let planned: string[];
  beforeAll(async () => {
    gw = await startInProcess();
    const slots = [...gw.gateway!.methods];
    implemented = slots.filter(([, bound]) => typeof bound.handler === 'function').map(([name]) => name).sort();
    planned = slots.filter(([, bound]) => typeof bound.handler !== 'function').map(([name]) => name).sort();
  });
  afterAll(() => gw?.stop());

  it('every wire name of the contract has a slot, implemented or planned', () => {
    expect([...implemented, ...planned].sort()).toEqual(ALL_WIRE_NAMES);
    // The core of the gateway is there whatever the subsystems' state.
    for (const name of ['health', 'chat.send', 'sessions.list', 'config.get']) expect(implemented).toContain(name);
  });

  it('an admin connection is offered exactly the implemented methods, node-only ones aside', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token, { scopes: ['operator.admin'] });
    const forOperators = implemented.filter((name) => gw.gateway!.methods.get(name)!.entry.scope !== 'node');
    expect(hello.features.methods).toEqual(forOperators);
    socket.close();
  });

  it('every planned method answers UNAVAILABLE with details.code NOT_IMPLEMENTED', async () => {
    const { socket } = await openReady(gw.url, gw.token, { scopes: ['operator.admin'] });
    for (const name of planned) {
      const res = await call(socket, name, {});
      const canonical = gw.gateway!.methods.get(name)!.entry.name;
      expect(res.error, name).toMatchObject({ code: 'UNAVAILABLE', details: { code: 'NOT_IMPLEMENTED', method: canonical } });
      expect(res.error!.message).toContain('not implemented');
    }
    socket.close();
  });
});
