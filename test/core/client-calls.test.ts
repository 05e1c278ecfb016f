// Gateway → client calls: a targeted event carrying an id, answered by the client through a method.
// One timeout per call, a foreign connection cannot answer, and every call to a client fails at once
// when it disconnects. The client here is an in-process caller receiving events like a socket would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../server/core/gateway-error.js';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';

let gw: RunningGateway;
beforeAll(async () => {
  gw = await startInProcess();
});
afterAll(() => gw?.stop());

/** A client that records the ids of the requests it got (carried here in a `tick`'s ts slot). */
function client(name: string) {
  const caller = gw.gateway!.createCaller({ id: name, scopes: ['operator.read'] });
  const got: number[] = [];
  caller.onEvent((event, payload) => {
    if (event === 'tick') got.push((payload as { ts: number }).ts);
  });
  return { caller, got };
}

let next = 1_000;
const call = (target: ReturnType<typeof client>, timeoutMs = 5_000, signal?: AbortSignal) => {
  const id = String(++next);
  const promise = gw.gateway!.runtime.clientCalls.call(target.caller.handle, 'tick', () => ({ ts: Number(id) }), { timeoutMs, id, ...(signal ? { signal } : {}) });
  return { id, promise };
};

describe('ClientCalls', () => {
  it('delivers the request to the target only and resolves with its answer', async () => {
    const a = client('client:a');
    const b = client('client:b');
    const { id, promise } = call(a);
    expect(a.got).toEqual([Number(id)]);
    expect(b.got).toEqual([]);
    // b cannot answer a's call.
    expect(gw.gateway!.runtime.clientCalls.answer(b.caller.handle, id, { ok: true, payload: 'forged' })).toBe(false);
    expect(gw.gateway!.runtime.clientCalls.answer(a.caller.handle, id, { ok: true, payload: { done: 1 } })).toBe(true);
    await expect(promise).resolves.toEqual({ done: 1 });
    // A second answer to a settled call is refused.
    expect(gw.gateway!.runtime.clientCalls.answer(a.caller.handle, id, { ok: true, payload: 'late' })).toBe(false);
    a.caller.close();
    b.caller.close();
  });

  it('a client error answer rejects with that error', async () => {
    const a = client('client:err');
    const { id, promise } = call(a);
    gw.gateway!.runtime.clientCalls.answer(a.caller.handle, id, { ok: false, error: new GatewayError('UNAVAILABLE', 'cannot do it') });
    await expect(promise).rejects.toThrow('cannot do it');
    a.caller.close();
  });

  it('times out once, with AGENT_TIMEOUT', async () => {
    const a = client('client:slow');
    const { promise } = call(a, 30);
    await expect(promise).rejects.toMatchObject({ code: 'AGENT_TIMEOUT', details: { code: 'CLIENT_TIMEOUT' } });
    expect(gw.gateway!.runtime.clientCalls.size).toBe(0);
    a.caller.close();
  });

  it('every pending call fails at once when the client goes away', async () => {
    const a = client('client:leaving');
    const calls = [call(a), call(a), call(a)];
    const started = Date.now();
    a.caller.close();
    for (const c of calls) await expect(c.promise).rejects.toMatchObject({ code: 'UNAVAILABLE', details: { code: 'CLIENT_DISCONNECTED' } });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(gw.gateway!.runtime.clientCalls.size).toBe(0);
  });

  it('a closed client is refused at once, and a caller abort cancels', async () => {
    const gone = client('client:gone');
    gone.caller.close();
    await expect(call(gone).promise).rejects.toMatchObject({ details: { code: 'CLIENT_DISCONNECTED' } });
    const a = client('client:abort');
    const controller = new AbortController();
    const { promise } = call(a, 5_000, controller.signal);
    controller.abort();
    await expect(promise).rejects.toMatchObject({ code: 'CANCELLED' });
    a.caller.close();
  });
});
