// The bookkeeping behind OpenClawClient's re-subscribe: what counts as accepted, what an
// unsubscribe undoes, and the answered canonical key.
import { describe, expect, it } from 'vitest';
import { StandingSubscriptions } from '../../clients/runtime/standing-subscriptions.js';

describe('StandingSubscriptions', () => {
  it('remembers accepted subscribe calls once each, under the key the gateway answered', () => {
    const s = new StandingSubscriptions();
    s.track('sessions.subscribe', {})!(true, { subscribed: true });
    s.track('sessions.messages.subscribe', { key: 'main' })!(true, { subscribed: true, key: 'agent:main:main' });
    s.track('sessions.messages.subscribe', { key: 'agent:main:main' })!(true, { subscribed: true, key: 'agent:main:main' });
    s.track('sessions.messages.subscribe', { key: 'refused' })!(false);
    expect(s.track('sessions.list', {})).toBeUndefined();
    expect(s.list()).toEqual([
      { method: 'sessions.subscribe', params: {} },
      { method: 'sessions.messages.subscribe', params: { key: 'agent:main:main' } },
    ]);
  });

  it('an unsubscribe forgets at once, under the asked or the canonical key', () => {
    const s = new StandingSubscriptions();
    s.track('sessions.messages.subscribe', { key: 'main' })!(true, { subscribed: true, key: 'agent:main:main' });
    s.track('sessions.messages.subscribe', { key: 'agent:main:b' })!(true, { subscribed: true, key: 'agent:main:b' });
    s.track('sessions.messages.unsubscribe', { key: 'main' });
    expect(s.list()).toEqual([{ method: 'sessions.messages.subscribe', params: { key: 'agent:main:b' } }]);
    s.track('sessions.messages.unsubscribe', { key: 'agent:MAIN:b' })!(true, { subscribed: false, key: 'agent:main:b' });
    expect(s.size).toBe(0);
  });

  it('a subscribe answered after an unsubscribe of the same key is not remembered', () => {
    const s = new StandingSubscriptions();
    const subscribed = s.track('sessions.messages.subscribe', { key: 'agent:main:x' })!;
    s.track('sessions.messages.unsubscribe', { key: 'agent:main:x' });
    subscribed(true, { subscribed: true, key: 'agent:main:x' });
    expect(s.size).toBe(0);
    // A later subscribe is remembered again.
    s.track('sessions.messages.subscribe', { key: 'agent:main:x' })!(true, { subscribed: true, key: 'agent:main:x' });
    expect(s.size).toBe(1);
  });
});
