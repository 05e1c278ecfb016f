// When there is no Chromium, or it will not start: the tool says so, with how to install one or
// what Chromium printed and how it exited — never a bare timeout. No real browser starts here.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserConfig } from '../../contract/schemas/browser-config.js';
import { BrowserService } from '../../server/browser/browser-service.js';
import { registerBrowserTool } from '../../server/browser/browser-tool.js';
import { findChromium } from '../../server/browser/chromium-executable.js';
import { processGroupMembers } from '../../server/browser/process-tree.js';
import { ToolError } from '../../server/tools/tool-error.js';
import { ToolRegistry } from '../../server/tools/tool-registry.js';
import type { ToolContent } from '../../server/tools/tool-result.js';

const dirs: string[] = [];
const services: BrowserService[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.shutdown()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function toolWith(config: BrowserConfig) {
  const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-browser-launch-'));
  dirs.push(stateDir);
  const service = new BrowserService({ stateDir, config: () => config, env: {}, logger: { info: () => {}, warn: () => {} } });
  services.push(service);
  const registry = new ToolRegistry();
  registerBrowserTool(registry, { service, workspaceOf: () => stateDir });
  const invoke = (args: Record<string, unknown>) => registry.invoke('browser', args, { agentId: 'main', caller: { kind: 'internal' }, signal: new AbortController().signal });
  return { stateDir, registry, invoke };
}

const rejection = async (promise: Promise<unknown>): Promise<ToolError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
};

describe('browser without a working Chromium', () => {
  it('reports unavailable with how to install Chromium', async () => {
    const { invoke } = toolWith({ executablePath: '/nonexistent/chromium' });
    const status = ((await invoke({ action: 'status' })) as ToolContent).details as Record<string, unknown>;
    expect(status).toMatchObject({ running: false, detectedExecutablePath: null });
    expect(status.detectError).toContain('apt-get install chromium');
    const error = await rejection(invoke({ action: 'open', targetUrl: 'https://example.com/' }));
    expect(error.kind).toBe('execution_failed');
    expect(error.message).toContain('[unavailable]');
    expect(error.message).toContain('browser.executablePath /nonexistent/chromium is not an executable file');
    expect(error.message).toContain('apt-get install chromium');
  });

  it('reports the stderr and exit code of a Chromium that fails to start', async () => {
    const scripts = mkdtempSync(join(tmpdir(), 'openclaw-broken-chromium-'));
    dirs.push(scripts);
    const fake = join(scripts, 'broken-chromium');
    writeFileSync(fake, '#!/bin/sh\necho "cannot open shared object libfoo.so" >&2\nexit 3\n');
    chmodSync(fake, 0o755);
    const broken = toolWith({ executablePath: fake, launchTimeoutMs: 20_000 });
    const error = await rejection(broken.invoke({ action: 'start' }));
    expect(error.message).toContain('[launch_failed]');
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('cannot open shared object libfoo.so');
    expect(error.message).not.toContain('Timeout');
    // The tool stays usable: the next call tries again and fails the same way.
    expect((await rejection(broken.invoke({ action: 'start' }))).message).toContain('exited with code 3');
  });

  it('reports what a Chromium that never becomes ready printed, not just the timeout', async () => {
    const scripts = mkdtempSync(join(tmpdir(), 'openclaw-stuck-chromium-'));
    dirs.push(scripts);
    const fake = join(scripts, 'stuck-chromium');
    const pidFile = join(scripts, 'pid');
    writeFileSync(fake, `#!/bin/sh\necho $$ > ${pidFile}\necho "waiting for a display that never comes" >&2\nsleep 60\n`);
    chmodSync(fake, 0o755);
    const stuck = toolWith({ executablePath: fake, launchTimeoutMs: 1500 });
    const error = await rejection(stuck.invoke({ action: 'start' }));
    expect(error.message).toContain('[launch_failed]');
    expect(error.message).toMatch(/did not become ready within 1500 ms|was killed by SIG/);
    expect(error.message).toContain('waiting for a display that never comes');
    // Nothing of it is left running (its `sleep` included).
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => processGroupMembers(pid), { timeout: 10_000 }).toEqual([]);
  });

  it('is not offered at all when browser.enabled is false', () => {
    const { registry } = toolWith({ enabled: false });
    expect(registry.decide('browser', { agentId: 'main', caller: { kind: 'agent' } })).toMatchObject({ allow: false, configKey: 'browser.enabled' });
    expect(registry.listFor({ agentId: 'main', caller: { kind: 'agent' } }).map((t) => t.name)).not.toContain('browser');
  });

  it('refuses page JavaScript when browser.evaluateEnabled is false, before any browser starts', async () => {
    const { invoke } = toolWith({ evaluateEnabled: false, executablePath: '/nonexistent/chromium' });
    const error = await rejection(invoke({ action: 'act', request: { kind: 'evaluate', fn: '() => document.cookie' } }));
    expect(error.kind).toBe('denied');
    expect(error.configKey).toBe('browser.evaluateEnabled');
  });

  it('finds Chromium at the configured path first, then at the known paths', () => {
    expect(findChromium('/nonexistent/chromium')).toMatchObject({ found: false });
    expect(findChromium(undefined, ['/nonexistent/a', process.execPath])).toEqual({ found: true, path: process.execPath });
    expect(findChromium(undefined, ['/nonexistent/a'])).toMatchObject({ found: false, error: expect.stringContaining('apt-get install chromium') });
  });
});
