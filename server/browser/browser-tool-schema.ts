// The browser tool's arguments: upstream's flattened schema (one object; `action` picks the
// fields that apply, `request.kind` for act), with `url` accepted for `targetUrl` and act fields
// accepted at the top level too. Every string, list and number is bounded.
import { z } from 'zod';
import { ACT_KINDS } from './act-actions.js';

export const BROWSER_ACTIONS = [
  'status', 'start', 'stop', 'profiles', 'tabs', 'open', 'focus', 'close', 'snapshot', 'screenshot',
  'navigate', 'console', 'pdf', 'upload', 'dialog', 'act',
] as const;

const Ref = z.string().min(1).max(64);
const Url = z.string().min(1).max(8192);
const Text = z.string().max(100_000);
const Selector = z.string().min(1).max(2000);
const Ms = z.number().min(0).max(600_000);

/** The fields of an act request (upstream's BrowserActSchema, bounded). */
const ActFields = {
  ref: Ref.optional(),
  doubleClick: z.boolean().optional(),
  button: z.enum(['left', 'right', 'middle']).optional(),
  modifiers: z.array(z.enum(['Alt', 'Control', 'ControlOrMeta', 'Meta', 'Shift'])).max(5).optional(),
  text: Text.optional(),
  submit: z.boolean().optional(),
  slowly: z.boolean().optional(),
  key: z.string().min(1).max(64).optional(),
  delayMs: z.number().int().min(0).max(5000).optional(),
  startRef: Ref.optional(),
  endRef: Ref.optional(),
  values: z.array(z.string().max(1000)).max(100).optional(),
  fields: z
    .array(z.strictObject({ ref: Ref, type: z.string().max(32).optional(), value: z.union([z.string().max(100_000), z.number(), z.boolean()]).optional() }))
    .max(100)
    .optional(),
  width: z.number().int().min(100).max(8000).optional(),
  height: z.number().int().min(100).max(8000).optional(),
  timeMs: Ms.optional(),
  textGone: z.string().min(1).max(2000).optional(),
  selector: Selector.optional(),
  url: Url.optional(),
  loadState: z.enum(['load', 'domcontentloaded', 'networkidle']).optional(),
  fn: z.string().min(1).max(20_000).optional(),
  targetId: z.string().min(1).max(64).optional(),
  timeoutMs: Ms.optional(),
};

export const BrowserActRequest = z.strictObject({ kind: z.enum(ACT_KINDS), ...ActFields });

export const BrowserToolArgs = z.strictObject({
  ...ActFields,
  action: z.enum(BROWSER_ACTIONS).describe('What to do; act takes request {kind, ref, …} (or kind and its fields at the top level).'),
  /** Upstream routes to sandbox/host/node browsers; this gateway has the host browser only. */
  target: z.enum(['sandbox', 'host', 'node']).optional(),
  node: z.string().max(256).optional(),
  profile: z.string().min(1).max(64).optional(),
  targetUrl: Url.optional().describe('URL for open and navigate (http, https or about:blank).'),
  targetId: z.string().min(1).max(64).optional().describe('The tab to act on (from tabs, open or snapshot); default the active tab.'),
  limit: z.number().int().min(1).max(2000).optional(),
  maxChars: z.number().int().min(100).max(100_000).optional(),
  mode: z.enum(['efficient']).optional(),
  snapshotFormat: z.enum(['aria', 'ai']).optional(),
  refs: z.enum(['role', 'aria']).optional(),
  interactive: z.boolean().optional(),
  compact: z.boolean().optional(),
  depth: z.number().int().min(1).max(100).optional(),
  frame: z.string().max(2000).optional(),
  labels: z.boolean().optional(),
  fullPage: z.boolean().optional(),
  element: Selector.optional(),
  type: z.enum(['png', 'jpeg']).optional(),
  level: z.string().max(16).optional(),
  paths: z.array(z.string().min(1).max(4096)).max(16).optional(),
  inputRef: Ref.optional(),
  accept: z.boolean().optional(),
  promptText: z.string().max(10_000).optional(),
  request: BrowserActRequest.optional(),
  kind: z.enum(ACT_KINDS).optional(),
});
export type BrowserToolArgs = z.infer<typeof BrowserToolArgs>;
