// The pieces of upstream compatibility that need no gateway: which alias a hello-ok selects, the
// exec-approvals shape adaptation, and the permanent-refusal list derived from the error catalog.
// (The same aliases run against a real upstream gateway in wire-compat.test.ts.)
import { describe, expect, it } from 'vitest';
import { aliasFor, applyRuleChange, overridesFromUpstream, UPSTREAM_ALIASES } from '../../clients/runtime/upstream-aliases.js';
import { ERROR_CATALOG } from '../../contract/schemas/errors.js';
import { PERMANENT_CONNECT_REFUSAL, PERMANENT_CONNECT_REFUSALS } from '../../generated/clients/connect-refusals.js';
import { METHOD_TABLE } from '../../generated/server/method-table.js';

describe('alias selection', () => {
  it('uses the upstream name only when hello-ok advertises it and not the seed name', () => {
    expect(aliasFor('sessions.spawn', ['sessions.create'])?.upstream).toBe('sessions.create');
    expect(aliasFor('sessions.spawn', ['sessions.spawn', 'sessions.create'])).toBeUndefined();
    expect(aliasFor('sessions.spawn', ['health'])).toBeUndefined();
    expect(aliasFor('sessions.spawn', undefined)).toBeUndefined();
    expect(aliasFor('health', ['health'])).toBeUndefined();
    expect(Object.fromEntries(Object.entries(UPSTREAM_ALIASES).map(([seed, a]) => [seed, a.upstream]))).toEqual({
      'sessions.spawn': 'sessions.create',
      'exec.approvals.list': 'exec.approval.list',
      'exec.approvals.resolve': 'exec.approval.resolve',
      'exec.approvals.overrides': 'exec.approvals.get',
      'exec.approvals.overrides.set': 'exec.approvals.set',
    });
  });

  it('each seed name is one our gateway serves under that upstream alias too', () => {
    for (const [seed, alias] of Object.entries(UPSTREAM_ALIASES)) {
      expect((METHOD_TABLE as Record<string, { aliases?: readonly string[] }>)[seed]?.aliases, seed).toContain(alias.upstream);
    }
  });
});

describe('exec approvals adaptation', () => {
  const upstream = {
    path: '~/.openclaw/exec-approvals.json',
    exists: true,
    hash: 'a'.repeat(64),
    resolvedDefaults: { security: 'full', ask: 'off', askFallback: 'deny' },
    file: {
      version: 1 as const,
      socket: { path: '/tmp/x.sock' },
      defaults: { ask: 'on-miss' as const },
      agents: {
        '*': { allowlist: [{ pattern: '/usr/bin/ls' }] },
        main: { allowlist: [{ id: 'r1', pattern: '/usr/bin/git', argPattern: 'status', lastUsedAt: 5 }], denylist: [{ pattern: '/usr/bin/rm' }] },
      },
    },
  };

  it('flattens upstream rules into overrides and resolves the defaults (the file wins over resolvedDefaults)', () => {
    const view = overridesFromUpstream(upstream);
    expect(view.overrides).toEqual([
      { pattern: '/usr/bin/ls', decision: 'allow' },
      { pattern: '/usr/bin/git', argPattern: 'status', decision: 'allow', agentId: 'main' },
      { pattern: '/usr/bin/rm', decision: 'deny', agentId: 'main' },
    ]);
    expect(view.defaults).toEqual({ security: 'full', ask: 'on-miss', askFallback: 'deny' });
    expect(view).toMatchObject({ path: upstream.path, exists: true, hash: upstream.hash, file: upstream.file });
  });

  it('adds, replaces and removes one rule in a copy of the file', () => {
    const added = applyRuleChange(upstream.file, { pattern: '/usr/bin/cat', decision: 'allow', agentId: 'main' });
    expect(added.agents?.main?.allowlist?.map((r) => r.pattern)).toEqual(['/usr/bin/git', '/usr/bin/cat']);
    expect(upstream.file.agents.main.allowlist).toHaveLength(1);
    expect(added.socket).toEqual(upstream.file.socket);

    const flipped = applyRuleChange(added, { pattern: '/usr/bin/git', argPattern: 'status', decision: 'deny', agentId: 'main' });
    expect(flipped.agents?.main?.allowlist?.map((r) => r.pattern)).toEqual(['/usr/bin/cat']);
    expect(flipped.agents?.main?.denylist?.map((r) => r.pattern)).toEqual(['/usr/bin/rm', '/usr/bin/git']);

    const removed = applyRuleChange(flipped, { pattern: '/usr/bin/ls', decision: null });
    expect(removed.agents?.['*']?.allowlist).toEqual([]);
    expect(removed.agents?.['*']?.denylist).toBeUndefined();
  });
});

describe('permanent connect refusals', () => {
  it('are the non-retryable codes connect declares, the params check and a bare NOT_PAIRED', () => {
    const declared = METHOD_TABLE.connect.errors as readonly (keyof typeof ERROR_CATALOG)[];
    const expected = declared.filter((code) => !ERROR_CATALOG[code].retryable);
    expect([...PERMANENT_CONNECT_REFUSALS].sort()).toEqual([...new Set([...expected, 'INVALID_PARAMS', 'NOT_PAIRED'])].sort());
    for (const code of ['NOT_PAIRED', 'PAIRING_REQUIRED', 'DEVICE_IDENTITY_REQUIRED', 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED', 'CONTROL_UI_ORIGIN_NOT_ALLOWED', 'AUTH_TOKEN_MISMATCH']) {
      expect(PERMANENT_CONNECT_REFUSALS).toContain(code);
    }
    for (const code of ['AUTH_RATE_LIMITED', 'AUTH_TAILSCALE_WHOIS_FAILED']) expect(PERMANENT_CONNECT_REFUSALS).not.toContain(code);
  });

  it('the pattern the SDKs test matches exactly those codes among the catalog and the top-level codes', () => {
    for (const code of PERMANENT_CONNECT_REFUSALS) expect(PERMANENT_CONNECT_REFUSAL.test(code), code).toBe(true);
    const others = [...Object.keys(ERROR_CATALOG), 'INVALID_REQUEST', 'UNAVAILABLE', 'FORBIDDEN', 'INTERNAL', 'CANCELLED'].filter((c) => !PERMANENT_CONNECT_REFUSALS.includes(c));
    for (const code of others) expect(PERMANENT_CONNECT_REFUSAL.test(code), code).toBe(false);
  });
});
