import { describe, expect, it } from 'vitest';
import { INVALID_MODEL_MESSAGE, resolveAgentTarget, resolveSessionKey } from '../../server/http/agent-target.js';

describe('resolveAgentTarget', () => {
  it.each([
    [undefined, 'main'],
    ['openclaw', 'main'],
    ['openclaw/default', 'main'],
    ['openclaw/Coder', 'coder'],
    ['openclaw:coder', 'coder'],
    ['agent:coder_2', 'coder_2'],
  ])('model %s → agent %s', (model, agentId) => {
    expect(resolveAgentTarget(model, undefined, 'main')).toEqual({ ok: true, agentId });
  });

  it.each(['gpt-4o', 'openclaw/', 'openclaw/bad id', 'agent:', 'openclaw/-x'])('model %s is refused with upstream text', (model) => {
    expect(resolveAgentTarget(model, undefined, 'main')).toEqual({ ok: false, message: INVALID_MODEL_MESSAGE });
  });

  it('x-openclaw-agent-id wins over model, and is validated', () => {
    expect(resolveAgentTarget('gpt-4o', 'Ops', 'main')).toEqual({ ok: true, agentId: 'ops' });
    expect(resolveAgentTarget('openclaw', '../x', 'main').ok).toBe(false);
  });
});

describe('resolveSessionKey', () => {
  it('header verbatim, else per-user, else fresh', () => {
    expect(resolveSessionKey('main', 'openai', ' Custom:Key ', 'bob')).toEqual({ sessionKey: 'Custom:Key', fresh: false });
    expect(resolveSessionKey('main', 'openai', undefined, 'Bob')).toEqual({ sessionKey: 'agent:main:openai-user:bob', fresh: false });
    expect(resolveSessionKey('ops', 'openresponses', undefined, 'Bob').sessionKey).toBe('agent:ops:openresponses-user:bob');
    const a = resolveSessionKey('main', 'openai', undefined, undefined);
    const b = resolveSessionKey('main', 'openai', undefined, undefined);
    expect(a.fresh).toBe(true);
    expect(a.sessionKey).toMatch(/^agent:main:openai:[0-9a-f-]{36}$/);
    expect(a.sessionKey).not.toBe(b.sessionKey);
  });
});
