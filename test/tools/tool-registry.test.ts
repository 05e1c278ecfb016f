import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configToolPolicy, matchesToolPattern } from '../../server/tools/config-tool-policy.js';
import { ToolError } from '../../server/tools/tool-error.js';
import { parseToolArguments, ToolRegistry, toolResultText } from '../../server/tools/tool-registry.js';
import type { OpenClawConfig } from '../../contract/schemas/config.js';

const agentCaller = { agentId: 'main', caller: { kind: 'agent' as const } };
const httpCaller = { agentId: 'main', caller: { kind: 'http' as const } };

function registryWith(config: OpenClawConfig = {}): ToolRegistry {
  const registry = new ToolRegistry();
  registry.register({
    name: 'add',
    description: 'Adds two numbers',
    group: 'math',
    parameters: z.strictObject({ a: z.number(), b: z.number() }),
    run: ({ a, b }) => ({ sum: a + b }),
  });
  registry.register({
    name: 'wipe',
    description: 'Dangerous',
    dangerous: true,
    parameters: z.strictObject({ action: z.enum(['all', 'some']).optional() }),
    run: () => 'wiped',
  });
  registry.register({
    name: 'boom',
    description: 'Always fails',
    parameters: z.object({}),
    run: () => {
      throw new Error('kaput');
    },
  });
  registry.addPolicy(configToolPolicy(() => config));
  return registry;
}

const kindOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof ToolError ? error.kind : `other: ${String(error)}`;
  }
};

describe('ToolRegistry', () => {
  it('runs a tool with validated arguments and returns its raw result', async () => {
    const registry = registryWith();
    expect(await registry.invoke('add', { a: 2, b: 3 }, agentCaller)).toEqual({ sum: 5 });
    expect(registry.get('add')?.jsonSchema).toMatchObject({ type: 'object', properties: { a: { type: 'number' } } });
    expect(registry.get('wipe')?.acceptsAction).toBe(true);
    expect(registry.get('add')?.acceptsAction).toBe(false);
  });

  it('reports unknown tools, invalid args and failures as typed errors', async () => {
    const registry = registryWith();
    expect(await kindOf(registry.invoke('nope', {}, agentCaller))).toBe('unknown_tool');
    expect(await kindOf(registry.invoke('add', { a: 'x' }, agentCaller))).toBe('invalid_args');
    expect(await kindOf(registry.invoke('boom', {}, agentCaller))).toBe('execution_failed');
    const aborted = new AbortController();
    aborted.abort();
    expect(await kindOf(registry.invoke('add', { a: 1, b: 1 }, { ...agentCaller, signal: aborted.signal }))).toBe('aborted');
    expect(() => registry.check('add', { a: 1 }, agentCaller)).toThrow(ToolError);
    expect(registry.check('add', { a: 1, b: 2 }, agentCaller)).toEqual({ a: 1, b: 2 });
  });

  it('refuses duplicate and badly named tools', () => {
    const registry = registryWith();
    expect(() => registry.register({ name: 'add', description: '', parameters: z.object({}), run: () => 1 })).toThrow(/already registered/);
    expect(() => registry.register({ name: 'bad name', description: '', parameters: z.object({}), run: () => 1 })).toThrow(/invalid tool name/);
  });

  it('denies dangerous tools over HTTP unless gateway.tools.allow lists them', async () => {
    const registry = registryWith();
    const denied = await registry.invoke('wipe', {}, httpCaller).catch((e: ToolError) => e);
    expect(denied).toBeInstanceOf(ToolError);
    expect((denied as ToolError).kind).toBe('denied');
    expect((denied as ToolError).configKey).toBe('gateway.tools.allow');
    expect(await registry.invoke('wipe', {}, agentCaller)).toBe('wiped');
    const allowed = registryWith({ gateway: { tools: { allow: ['wipe'] } } });
    expect(await allowed.invoke('wipe', {}, httpCaller)).toBe('wiped');
    const httpDenied = registryWith({ gateway: { tools: { deny: ['add'] } } });
    expect(await kindOf(httpDenied.invoke('add', { a: 1, b: 1 }, httpCaller))).toBe('denied');
    expect(await httpDenied.invoke('add', { a: 1, b: 1 }, agentCaller)).toEqual({ sum: 2 });
  });

  it('applies global and per-agent allow/deny lists to listings and calls', async () => {
    const registry = registryWith({ tools: { deny: ['boom'] }, agents: { list: [{ id: 'work', tools: { allow: ['group:math'] } }] } });
    expect(registry.listFor(agentCaller).map((t) => t.name)).toEqual(['add', 'wipe']);
    expect(registry.listFor({ agentId: 'work', caller: { kind: 'agent' } }).map((t) => t.name)).toEqual(['add']);
    expect(await kindOf(registry.invoke('wipe', {}, { agentId: 'work', caller: { kind: 'agent' } }))).toBe('denied');
    expect(registry.decide('boom', agentCaller)).toMatchObject({ allow: false, configKey: 'tools.deny' });
  });

  it('lets any subsystem add its own policy hook', async () => {
    const registry = registryWith();
    const remove = registry.addPolicy((tool, subject) => (subject.caller.kind === 'ws' && tool.name === 'add' ? { allow: false, reason: 'not from ws' } : undefined));
    expect(await kindOf(registry.invoke('add', { a: 1, b: 1 }, { agentId: 'main', caller: { kind: 'ws' } }))).toBe('denied');
    remove();
    expect(await kindOf(registry.invoke('add', { a: 1, b: 1 }, { agentId: 'main', caller: { kind: 'ws' } }))).toBe('ok');
  });

  it('parses model arguments and renders results for the model', () => {
    expect(parseToolArguments('t', '')).toEqual({});
    expect(parseToolArguments('t', '{"a":1}')).toEqual({ a: 1 });
    expect(() => parseToolArguments('t', '{oops')).toThrow(ToolError);
    expect(toolResultText('plain')).toBe('plain');
    expect(toolResultText({ a: 1 })).toBe('{"a":1}');
    expect(matchesToolPattern('sessions_*', { name: 'sessions_list', group: undefined })).toBe(true);
    expect(matchesToolPattern('sessions_*', { name: 'session_status', group: undefined })).toBe(false);
  });
});
