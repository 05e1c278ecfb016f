// The `browser` agent tool: upstream's actions over the agent's own Chromium. Every result is
// upstream's `{content, details}`: JSON text (a snapshot as its text, a screenshot as an image the
// model can see too) and a `meta` of action and target for the tool events operators follow.
import { ToolContent, type ToolContentBlock } from '../tools/tool-result.js';
import type { ToolAuthorization, ToolCallContext } from '../tools/tool-types.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { act, upload, type ActRequest } from './act-actions.js';
import { actionScope, type ActionScope } from './action-scope.js';
import { BrowserError } from './browser-error.js';
import type { BrowserService } from './browser-service.js';
import type { BrowserSession } from './browser-session.js';
import { actionTimeout } from './browser-settings.js';
import { BrowserToolArgs } from './browser-tool-schema.js';
import { consoleOf, pdfTab, screenshotTab, snapshotTab } from './capture-actions.js';
import { listTabs, navigateTab, openTab } from './tab-actions.js';
import { resolveUploadPaths } from './upload-paths.js';

/** Screenshots larger than this are not sent to the model as images (the file is still kept). */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** How long an armed dialog or file-chooser hook waits for the page by default. */
const DEFAULT_HOOK_MS = 120_000;
const LAUNCH_MARGIN_MS = 5000;

const DESCRIPTION = [
  "Drive this agent's own Chromium: status/start/stop/profiles/tabs/open/focus/close/navigate/snapshot/screenshot/console/pdf/upload/dialog/act.",
  'Open a page with {"action":"open","targetUrl":"https://…"} (url works too), read it with {"action":"snapshot"}: the snapshot lists elements with refs like e12.',
  'Act on them with {"action":"act","request":{"kind":"click","ref":"e12"}} (kinds: click, type, press, hover, drag, select, fill, resize, wait, evaluate, close).',
  'Refs stay valid for an element while it is on the page; pass the targetId from open/snapshot to stay on the same tab.',
  'snapshot mode "efficient" (or interactive:true) gives a shorter listing; screenshot returns a PNG you can see and its path.',
  'dialog arms the answer to the next alert/confirm/prompt; upload sets files (paths in the workspace) for an input (inputRef), a click (ref) or the next chooser.',
  'Only http, https and about:blank open; private and loopback addresses are refused unless browser.allowPrivateHosts lists them.',
].join(' ');

export interface BrowserToolHost {
  readonly service: BrowserService;
  /** The agent's workspace folder (uploads may come from there). */
  workspaceOf(agentId: string): string | undefined;
}

type Args = BrowserToolArgs;

/** The act request: `request`, or `kind` and its fields at the top level (request fields win). */
function actRequest(args: Args): ActRequest {
  const kind = args.request?.kind ?? args.kind;
  if (!kind) throw new BrowserError('invalid_request', 'act needs request.kind (click, type, press, hover, drag, select, fill, resize, wait, evaluate or close)');
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) if (value !== undefined && key !== 'request' && key !== 'action') merged[key] = value;
  for (const [key, value] of Object.entries(args.request ?? {})) if (value !== undefined) merged[key] = value;
  merged.kind = kind;
  return merged as unknown as ActRequest;
}

function json(details: Record<string, unknown>, meta: Record<string, unknown>): ToolContent {
  return new ToolContent([{ type: 'text', text: JSON.stringify(details) }], details, meta);
}

function uploadRoots(host: BrowserToolHost, agentId: string): string[] {
  const paths = host.service.paths(agentId);
  const workspace = host.workspaceOf(agentId);
  return [...(workspace ? [workspace] : []), paths.uploads, paths.downloads];
}

async function authorize(host: BrowserToolHost, args: Args, ctx: ToolCallContext): Promise<ToolAuthorization> {
  const settings = host.service.settings();
  const kind = args.request?.kind ?? args.kind;
  const runsPageCode = args.action === 'act' && (kind === 'evaluate' || (kind === 'wait' && (args.request?.fn ?? args.fn) !== undefined));
  if (runsPageCode && !settings.evaluateEnabled) {
    return { outcome: 'deny', reason: 'running page JavaScript (act evaluate, wait fn) is turned off by browser.evaluateEnabled=false', configKey: 'browser.evaluateEnabled' };
  }
  if (args.action === 'upload') {
    const checked = await resolveUploadPaths(args.paths ?? [], uploadRoots(host, ctx.agentId));
    if (!checked.ok) return { outcome: 'deny', reason: checked.reason };
  }
  return { outcome: 'allow' };
}

export function registerBrowserTool(registry: ToolRegistry, host: BrowserToolHost): () => void {
  const removePolicy = registry.addPolicy((tool) =>
    tool.name === 'browser' && !host.service.settings().enabled
      ? { allow: false, reason: 'the browser tool is turned off by browser.enabled=false', configKey: 'browser.enabled' }
      : undefined,
  );
  const unregister = registry.register<Args>({
    name: 'browser',
    label: 'Browser',
    group: 'ui',
    dangerous: true,
    description: DESCRIPTION,
    parameters: BrowserToolArgs,
    authorize: (args, ctx) => authorize(host, args, ctx),
    run: (args, ctx) => runBrowserAction(host, args, ctx),
  });
  return () => {
    unregister();
    removePolicy();
  };
}

async function runBrowserAction(host: BrowserToolHost, args: Args, ctx: ToolCallContext): Promise<ToolContent> {
  const service = host.service;
  const settings = service.settings();
  if (args.target === 'node' || args.node) throw new BrowserError('invalid_request', 'node-hosted browsers are not supported by this gateway; leave out target and node');
  if (args.target === 'sandbox') throw new BrowserError('invalid_request', 'this gateway has no sandbox browser; leave out target (the host browser is used)');
  if (args.frame) throw new BrowserError('invalid_request', 'snapshot frame is not supported: iframes are part of the page snapshot already');
  if (args.labels) throw new BrowserError('invalid_request', 'snapshot labels are not supported; take a screenshot for the picture');
  if (args.profile && args.profile !== settings.profile) throw new BrowserError('invalid_request', `unknown profile ${args.profile}; this agent has profile ${settings.profile} (action=profiles)`);
  const agentId = ctx.agentId;
  const action = args.action;
  const meta: Record<string, unknown> = { action };

  switch (action) {
    case 'status':
      return json({ ...(await service.status(agentId)) }, meta);
    case 'profiles': {
      const status = await service.status(agentId);
      const profile = { name: status.profile, cdpUrl: status.cdpUrl, color: status.color, running: status.running, tabCount: status.tabCount, isDefault: true, isRemote: status.cdpUrl !== null };
      return json({ profiles: [profile] }, meta);
    }
    case 'stop':
      await service.stop(agentId);
      return json({ ...(await service.status(agentId)) }, meta);
    default:
      break;
  }

  // Starting the browser has its own limit (browser.launchTimeoutMs, after which Playwright reports
  // Chromium's output; the margin lets that report arrive first); the action's limit starts after it.
  const session = await startedWithin(service, agentId, actionScope(ctx.signal, settings.launchTimeoutMs + LAUNCH_MARGIN_MS));
  const scope = actionScope(ctx.signal, actionTimeout(args.timeoutMs ?? args.request?.timeoutMs, settings));
  return session.use(async () => {
    const targetId = args.request?.targetId ?? args.targetId;
    switch (action) {
      case 'start':
        return json({ ...(await service.status(agentId)) }, meta);
      case 'tabs':
        return json({ tabs: await listTabs(session) }, meta);
      case 'open': {
        const url = need(args.targetUrl ?? args.url, 'targetUrl', action);
        meta.url = url;
        const tab = await openTab(session, url, settings.navigation, scope);
        meta.targetId = tab.targetId;
        return json({ ...tab }, meta);
      }
      case 'navigate': {
        const url = need(args.targetUrl ?? args.url, 'targetUrl', action);
        meta.url = url;
        // With no tab open, navigate opens one.
        const tab = targetId === undefined && session.activeId === undefined ? await session.newTab() : session.tab(targetId);
        meta.targetId = tab.targetId;
        return json(await navigateTab(session, tab, url, settings.navigation, scope), meta);
      }
      case 'focus': {
        const tab = session.tab(need(targetId, 'targetId', action));
        session.focus(tab);
        await tab.page.bringToFront().catch(() => {});
        meta.targetId = tab.targetId;
        return json({ ok: true }, meta);
      }
      case 'close': {
        const tab = session.tab(targetId);
        await session.closeTab(tab);
        meta.targetId = tab.targetId;
        return json({ ok: true }, meta);
      }
      case 'snapshot': {
        const tab = session.tab(targetId);
        const mode = args.mode ?? (args.snapshotFormat !== 'aria' ? settings.snapshotMode : undefined);
        const request = {
          format: args.snapshotFormat ?? 'ai',
          mode,
          ...(args.interactive === undefined ? {} : { interactive: args.interactive }),
          ...(args.compact === undefined ? {} : { compact: args.compact }),
          ...(args.depth === undefined ? {} : { depth: args.depth }),
          ...(args.maxChars === undefined ? {} : { maxChars: args.maxChars }),
          ...(args.selector === undefined ? {} : { selector: args.selector }),
          ...(args.limit === undefined ? {} : { limit: args.limit }),
        } as const;
        const snap = await snapshotTab(tab, request, scope);
        Object.assign(meta, { targetId: tab.targetId, url: snap.url });
        if (snap.format === 'aria') return json({ ...snap }, meta);
        const header = `Page: ${snap.title || '(untitled)'} — ${snap.url} (targetId ${snap.targetId}; ${snap.stats.refs} refs${snap.truncated ? ', truncated' : ''})`;
        return new ToolContent([{ type: 'text', text: `${header}\n${snap.snapshot}` }], snap, meta);
      }
      case 'screenshot': {
        const tab = session.tab(targetId);
        const shot = await screenshotTab(
          tab,
          { fullPage: args.fullPage ?? false, type: args.type ?? 'png', ...(args.ref ? { ref: args.ref } : {}), ...(args.element ? { element: args.element } : {}) },
          service.paths(agentId),
          scope,
        );
        Object.assign(meta, { targetId: tab.targetId, url: shot.result.url, path: shot.result.path });
        const blocks: ToolContentBlock[] = [{ type: 'text', text: `Screenshot of ${shot.result.url} (targetId ${tab.targetId}) saved to ${shot.result.path}` }];
        if (shot.data.byteLength <= MAX_IMAGE_BYTES) blocks.push({ type: 'image', data: shot.data.toString('base64'), mimeType: args.type === 'jpeg' ? 'image/jpeg' : 'image/png' });
        else blocks.push({ type: 'text', text: `The image (${shot.data.byteLength} bytes) is too large to show; take a viewport or jpeg screenshot to see it.` });
        return new ToolContent(blocks, shot.result, meta);
      }
      case 'console': {
        const tab = session.tab(targetId);
        meta.targetId = tab.targetId;
        return json(consoleOf(tab, args.level), meta);
      }
      case 'pdf': {
        const tab = session.tab(targetId);
        const saved = await pdfTab(tab, service.paths(agentId), scope);
        Object.assign(meta, { targetId: tab.targetId, url: saved.url, path: saved.path });
        return new ToolContent([{ type: 'text', text: `FILE:${saved.path}` }], saved, meta);
      }
      case 'upload': {
        const tab = session.tab(targetId);
        const checked = await resolveUploadPaths(need(args.paths, 'paths', action), uploadRoots(host, agentId));
        if (!checked.ok) throw new BrowserError('invalid_request', checked.reason);
        meta.targetId = tab.targetId;
        const request = { ...(args.ref ? { ref: args.ref } : {}), ...(args.inputRef ? { inputRef: args.inputRef } : {}), ...(args.element ? { element: args.element } : {}) };
        const hookScope = request.ref || request.inputRef || request.element ? scope : actionScope(ctx.signal, args.timeoutMs ?? DEFAULT_HOOK_MS);
        return json(await upload(tab, checked.paths, request, hookScope), meta);
      }
      case 'dialog': {
        const tab = session.tab(targetId);
        tab.armDialog(args.accept ?? false, args.promptText, args.timeoutMs ?? DEFAULT_HOOK_MS);
        meta.targetId = tab.targetId;
        return json({ ok: true, targetId: tab.targetId }, meta);
      }
      case 'act': {
        const request = actRequest(args);
        const tab = session.tab(targetId);
        Object.assign(meta, { kind: request.kind, targetId: tab.targetId, ...(request.ref ? { ref: request.ref } : {}) });
        const outcome = await act(session, tab, request, scope, settings.evaluateEnabled);
        if (outcome.url) meta.url = outcome.url;
        return json({ ...outcome }, meta);
      }
      default:
        throw new BrowserError('invalid_request', `unknown action ${String(action)}`);
    }
  });
}

function need<T>(value: T | undefined, field: string, action: string): T {
  if (value === undefined) throw new BrowserError('invalid_request', `action ${action} needs ${field}`);
  return value;
}

/** The agent's browser, started within the action's deadline (a slow start is reported, not waited out). */
async function startedWithin(service: BrowserService, agentId: string, scope: ActionScope): Promise<BrowserSession> {
  const starting = service.session(agentId);
  starting.catch(() => {});
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(
        scope.callerSignal.aborted
          ? new BrowserError('aborted', 'starting the browser was aborted')
          : new BrowserError('timeout', `the browser did not start within ${scope.timeoutMs} ms (browser.launchTimeoutMs); try again`),
      );
    if (scope.signal.aborted) onAbort();
    else scope.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([starting, stopped]);
  } finally {
    scope.signal.removeEventListener('abort', onAbort!);
  }
}

