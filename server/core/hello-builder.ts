// hello-ok for a connection that passed the handshake: what it may call and receive (cached per
// role and scope set), the presence/health snapshot, session defaults, limits and its grant.
import { randomUUID } from 'node:crypto';
import { CANCEL_FRAMES_CAPABILITY } from '../../contract/capabilities.js';
import type { HelloOk } from '../../contract/schemas/connect.js';
import { MAX_ATTACHMENT_BYTES } from '../chat/run-input.js';
import { EVENT_TABLE } from '../../generated/server/method-table.js';
import type { EventName } from '../../generated/server/method-types.js';
import type { GatewaySettings } from '../config/gateway-settings.js';
import type { StatePaths } from '../config/state-paths.js';
import type { HealthService } from '../system/health-service.js';
import type { Connection } from './connection.js';
import type { BoundMethod } from './method-entry.js';
import { isNotImplemented } from './not-implemented.js';
import type { PresenceTracker } from './presence.js';
import { canReceiveEvent, checkMethodAccess } from './scopes.js';

/** Targeted events only nodes receive (gateway → node calls). */
const NODE_TARGETED_EVENTS: ReadonlySet<string> = new Set(['node.invoke.request']);

export interface HelloSources {
  readonly version: string;
  readonly startedAt: number;
  readonly paths: StatePaths;
  readonly methods: ReadonlyMap<string, BoundMethod>;
  readonly presence: PresenceTracker;
  readonly health: HealthService;
  settings(): GatewaySettings;
  sessionDefaults(): HelloOk['snapshot']['sessionDefaults'];
}

type Features = HelloOk['features'];

export function createHelloBuilder(s: HelloSources): (c: Connection) => HelloOk {
  // One per process: upstream clients reload their state when it changes.
  const bootId = randomUUID();
  const attachments = { maxBytes: MAX_ATTACHMENT_BYTES, maxImageBytes: MAX_ATTACHMENT_BYTES };
  const advertised = new Map<string, Features>();
  const featuresFor = (c: Connection): Features => {
    const key = `${c.role}|${[...c.scopes].sort().join(',')}`;
    let features = advertised.get(key);
    if (!features) {
      const methods = [...s.methods]
        .filter(([, bound]) => !isNotImplemented(bound.handler) && checkMethodAccess(c.role, c.scopes, bound.entry.scope).ok)
        .map(([name]) => name)
        .sort();
      const events = (Object.keys(EVENT_TABLE) as EventName[])
        .filter((name) => {
          const scope = EVENT_TABLE[name].scope;
          if (scope === 'targeted') return NODE_TARGETED_EVENTS.has(name) ? c.role === 'node' : c.role === 'operator';
          return canReceiveEvent(c.role, c.scopes, scope);
        })
        .sort();
      features = { methods, events, capabilities: [CANCEL_FRAMES_CAPABILITY] };
      advertised.set(key, features);
    }
    return features;
  };

  return (c) => {
    const settings = s.settings();
    const admin = c.scopes.has('operator.admin');
    return {
      type: 'hello-ok',
      protocol: c.protocol,
      server: { version: s.version, connId: c.connId, bootId },
      features: featuresFor(c),
      snapshot: {
        presence: s.presence.snapshot(),
        health: s.health.snapshot(),
        stateVersion: { presence: s.presence.stateVersion, health: s.health.stateVersion },
        uptimeMs: Date.now() - s.startedAt,
        sessionDefaults: s.sessionDefaults(),
        authMode: settings.auth.mode,
        ...(admin ? { configPath: s.paths.configPath, stateDir: s.paths.stateDir } : {}),
      },
      policy: {
        maxPayload: settings.limits.maxPayload,
        maxBufferedBytes: settings.limits.maxBufferedBytes,
        tickIntervalMs: settings.limits.tickIntervalMs,
        attachments,
      },
      auth: c.issuedDeviceToken
        ? { role: c.role, scopes: [...c.scopes], method: settings.auth.mode, deviceToken: c.issuedDeviceToken.token, issuedAtMs: c.issuedDeviceToken.issuedAtMs }
        : { role: c.role, scopes: [...c.scopes], method: settings.auth.mode },
    };
  };
}
