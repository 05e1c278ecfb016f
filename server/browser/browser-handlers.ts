// browser.status and browser.tabs: what operators see of the agents' browsers.
import type { BrowserHandlers } from '../../generated/server/handlers.js';
import type { BrowserService } from './browser-service.js';

export function createBrowserHandlers(service: BrowserService): BrowserHandlers {
  return {
    'browser.status': async (params) => {
      const settings = service.settings();
      const sessions = await service.runningSessions(params.agentId);
      return {
        enabled: settings.enabled,
        available: settings.cdpUrl !== undefined || settings.chromium.found,
        executablePath: settings.chromium.found ? settings.chromium.path : null,
        detectError: settings.cdpUrl || settings.chromium.found ? null : settings.chromium.error,
        headless: settings.headless,
        noSandbox: settings.noSandbox,
        attachOnly: settings.attachOnly || settings.cdpUrl !== undefined,
        cdpUrl: settings.cdpUrl ?? null,
        idleTimeoutMs: settings.idleTimeoutMs,
        maxTabs: settings.maxTabs,
        browsers: sessions.map((s) => ({
          agentId: s.options.agentId,
          profile: s.profile,
          mode: s.mode,
          running: s.running,
          pid: s.pid ?? null,
          userDataDir: s.mode === 'managed' ? s.options.paths.userDataDir : null,
          tabCount: s.tabs.size,
          startedAt: s.startedAt,
          lastUsedAt: s.lastUsedAt,
        })),
      };
    },
    'browser.tabs': async (params) => {
      const sessions = await service.runningSessions(params.agentId);
      const tabs = [];
      for (const session of sessions) {
        for (const tab of await service.tabsOf(session)) {
          tabs.push({ agentId: session.options.agentId, profile: session.profile, targetId: tab.targetId, title: tab.title, url: tab.url, type: tab.type, active: tab.targetId === session.activeId });
        }
      }
      return { tabs };
    },
  };
}
