// Which commands node.invoke may send to a node (upstream's node command policy): the platform's
// defaults plus gateway.nodes.allowCommands, minus gateway.nodes.denyCommands (which always wins);
// dangerous commands (camera, screen recording, contacts, calendar, reminders, SMS) only when
// allowCommands names them. The node must also have declared the command, and it must be approved.
import type { GatewayNodesConfig } from '../../contract/schemas/nodes-config.js';

const CANVAS = ['canvas.present', 'canvas.hide', 'canvas.navigate', 'canvas.eval', 'canvas.snapshot', 'canvas.a2ui.push', 'canvas.a2ui.pushJSONL', 'canvas.a2ui.reset'];
const CAMERA = ['camera.list'];
const LOCATION = ['location.get'];
const SYSTEM = ['system.run', 'system.which', 'system.notify', 'browser.proxy'];
const MOBILE_SYSTEM = ['system.notify'];

/** Never allowed by default: they capture or send personal data. */
export const DANGEROUS_NODE_COMMANDS: readonly string[] = ['camera.snap', 'camera.clip', 'screen.record', 'contacts.add', 'calendar.add', 'reminders.add', 'sms.send'];

const PLATFORM_DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  ios: [...CANVAS, ...CAMERA, ...LOCATION, ...MOBILE_SYSTEM],
  android: [...CANVAS, ...CAMERA, ...LOCATION, ...MOBILE_SYSTEM],
  macos: [...CANVAS, ...CAMERA, ...LOCATION, ...SYSTEM],
  linux: SYSTEM,
  windows: SYSTEM,
  unknown: [...CANVAS, ...CAMERA, ...LOCATION, 'system.notify'],
};

export function platformId(platform: string | undefined, deviceFamily: string | undefined): string {
  const p = (platform ?? '').trim().toLowerCase();
  if (p.startsWith('ios') || p.startsWith('ipados')) return 'ios';
  if (p.startsWith('android')) return 'android';
  if (p.startsWith('mac') || p.startsWith('darwin')) return 'macos';
  if (p.startsWith('win')) return 'windows';
  if (p.startsWith('linux')) return 'linux';
  const family = (deviceFamily ?? '').trim().toLowerCase();
  if (family.includes('iphone') || family.includes('ipad')) return 'ios';
  if (family.includes('android')) return 'android';
  if (family.includes('mac')) return 'macos';
  return 'unknown';
}

export function commandAllowlist(config: GatewayNodesConfig | undefined, platform: string | undefined, deviceFamily: string | undefined): Set<string> {
  const allow = new Set<string>([...(PLATFORM_DEFAULTS[platformId(platform, deviceFamily)] ?? PLATFORM_DEFAULTS.unknown!), ...(config?.allowCommands ?? []).map((c) => c.trim())]);
  for (const denied of config?.denyCommands ?? []) allow.delete(denied.trim());
  allow.delete('');
  return allow;
}

export type CommandVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly message: string };

export function checkNodeCommand(
  command: string,
  node: { readonly platform: string | undefined; readonly deviceFamily: string | undefined; readonly declared: readonly string[]; readonly approved: readonly string[] },
  config: GatewayNodesConfig | undefined,
): CommandVerdict {
  if ((config?.denyCommands ?? []).some((c) => c.trim() === command)) {
    return { ok: false, reason: 'command denied', message: `node command not allowed: "${command}" is blocked by gateway.nodes.denyCommands` };
  }
  if (!commandAllowlist(config, node.platform, node.deviceFamily).has(command)) {
    const message = DANGEROUS_NODE_COMMANDS.includes(command)
      ? `node command not allowed: "${command}" needs an explicit opt-in in gateway.nodes.allowCommands`
      : `node command not allowed: "${command}" is not allowed for platform "${platformId(node.platform, node.deviceFamily)}"; add it to gateway.nodes.allowCommands`;
    return { ok: false, reason: 'command not allowlisted', message };
  }
  if (node.declared.length === 0) return { ok: false, reason: 'node did not declare commands', message: 'node command not allowed: the node did not declare any commands' };
  if (!node.declared.includes(command)) return { ok: false, reason: 'command not declared by node', message: `node command not allowed: the node does not support "${command}"` };
  if (!node.approved.includes(command)) {
    return { ok: false, reason: 'command not approved', message: `node command not allowed: "${command}" is waiting for approval (node.pair.list shows the request)` };
  }
  return { ok: true };
}
