// browser.status / browser.tabs: what operators see of the agents' browsers (not upstream methods;
// the fields follow upstream's browser status and tab shapes where they exist).
import { z } from 'zod';
import { AgentId, Count, EpochMs } from './common.js';

export const BrowserStatusParams = z.strictObject({
  /** Only this agent's browser. */
  agentId: AgentId.optional(),
});

export const BrowserInstance = z.object({
  agentId: z.string(),
  profile: z.string(),
  /** `managed`: launched by the gateway with a profile in the state dir; `attach`: browser.cdpUrl. */
  mode: z.enum(['managed', 'attach']),
  running: z.boolean(),
  /** The Chromium process (managed mode), null when unknown or attached. */
  pid: z.number().int().nullable(),
  userDataDir: z.string().nullable(),
  tabCount: Count,
  startedAt: EpochMs,
  lastUsedAt: EpochMs,
});

export const BrowserStatusResult = z.object({
  enabled: z.boolean(),
  /** A Chromium was found (or attach mode is configured). */
  available: z.boolean(),
  executablePath: z.string().nullable(),
  /** Why no Chromium is available, and how to install one. */
  detectError: z.string().nullable(),
  headless: z.boolean(),
  noSandbox: z.boolean(),
  attachOnly: z.boolean(),
  cdpUrl: z.string().nullable(),
  idleTimeoutMs: Count,
  maxTabs: Count,
  browsers: z.array(BrowserInstance),
});

export const BrowserTabsParams = z.strictObject({
  agentId: AgentId.optional(),
});

export const BrowserTabInfo = z.object({
  agentId: z.string(),
  profile: z.string(),
  targetId: z.string(),
  title: z.string(),
  url: z.string(),
  type: z.literal('page'),
  /** The tab actions without a targetId act on. */
  active: z.boolean(),
});

export const BrowserTabsResult = z.object({
  tabs: z.array(BrowserTabInfo),
});
