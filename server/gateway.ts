// Assembles one gateway process: config, logger, auth, the event hub, handlers, the HTTP app and
// the WebSocket transport on one node:http server; and takes it all down again in order.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { HelloOk } from '../contract/schemas/connect.js';
import { bindHandlers } from '../generated/server/dispatch-table.js';
import { EVENT_TABLE } from '../generated/server/method-table.js';
import type { EventName } from '../generated/server/method-types.js';
import { AuthRateLimiter } from './auth/auth-rate-limiter.js';
import { ConfigStore } from './config/config-store.js';
import { formatConfigIssues } from './config/config-file.js';
import { resolveSettings, type GatewaySettings, type SettingsOverrides } from './config/gateway-settings.js';
import { resolveStatePaths, type StatePaths } from './config/state-paths.js';
import { Connection } from './core/connection.js';
import type { ConnectionHost } from './core/connection-host.js';
import { EventHub } from './core/event-hub.js';
import type { BoundMethod } from './core/method-entry.js';
import { isNotImplemented } from './core/not-implemented.js';
import { PresenceTracker } from './core/presence.js';
import { canReceiveEvent, checkMethodAccess } from './core/scopes.js';
import { createGatewayHandlers } from './gateway-handlers.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { createHttpListener } from './http/http-app.js';
import { createGatewayLogger, type LogLevel } from './logs/gateway-logger.js';
import { defaultHealthSources } from './system/default-health-sources.js';
import { HealthService } from './system/health-service.js';
import { createInProcessPair, type InProcessClientSide } from './transport/in-process-transport.js';
import { PreauthBudget } from './transport/preauth-budget.js';
import { WsTransport } from './transport/ws-transport.js';
import { createGatewayProxyRoute } from './proxy/gateway-proxy-route.js';
import { GATEWAY_VERSION } from './version.js';

export class GatewayStartError extends Error {}

export interface GatewayOptions extends SettingsOverrides {
  readonly stateDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Print readable lines for important events (the CLI turns this on). */
  readonly console?: boolean;
  readonly logLevel?: LogLevel;
  /** Check handler results and event payloads against the contract (tests turn this on). */
  readonly validateContract?: boolean;
  /** Adjust effective settings (tests shorten timers). */
  readonly tuneSettings?: (settings: GatewaySettings) => GatewaySettings;
}

export interface ListenInfo {
  readonly host: string;
  readonly port: number;
  readonly url: string;
}

export interface Gateway {
  readonly runtime: GatewayRuntime;
  readonly paths: StatePaths;
  /** The shared secret clients must present (undefined when auth mode is none). */
  readonly token: string | undefined;
  /** True when this start generated the token and wrote it to the config file. */
  readonly tokenGenerated: boolean;
  readonly httpServer: Server;
  listen(): Promise<ListenInfo>;
  /** A connection through the real codec and state machine, without a socket. */
  connectInProcess(options?: { remoteAddress?: string }): InProcessClientSide;
  stop(options?: { reason?: string; restartExpectedMs?: number | null }): Promise<void>;
}

const SESSION_DEFAULTS = { defaultAgentId: 'main', mainKey: 'main', mainSessionKey: 'agent:main:main', scope: 'per-sender' as const };

export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  const paths = resolveStatePaths(env, options.stateDir);
  mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
  const config = new ConfigStore(paths.configPath, env);
  if (!config.loaded.valid) throw new GatewayStartError(formatConfigIssues(paths.configPath, config.loaded.issues));

  const overrides: SettingsOverrides = {
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.bind === undefined ? {} : { bind: options.bind }),
    ...(options.token === undefined ? {} : { token: options.token }),
  };
  const computeSettings = (): GatewaySettings => {
    const base = resolveSettings(config.config, env, overrides);
    return options.tuneSettings ? options.tuneSettings(base) : base;
  };
  let settings: GatewaySettings;
  try {
    settings = computeSettings();
  } catch (error) {
    throw new GatewayStartError((error as Error).message);
  }
  let tokenGenerated = false;
  if (settings.auth.mode === 'token' && !settings.auth.token) {
    config.setPath(['gateway', 'auth', 'token'], randomBytes(24).toString('base64url'));
    settings = computeSettings();
    tokenGenerated = true;
  }

  const logger = createGatewayLogger({
    file: paths.logFile,
    level: options.logLevel ?? config.config.logging?.level ?? 'info',
    console: options.console ?? false,
  });
  const validateContract = options.validateContract ?? env.OPENCLAW_VALIDATE_CONTRACT === '1';
  const startedAt = Date.now();
  const shutdownTasks: (() => Promise<void> | void)[] = [];
  const hub = new EventHub(logger, validateContract);
  const limiter = new AuthRateLimiter(settings.auth.rateLimit);
  const health = new HealthService(
    defaultHealthSources({
      stateDir: paths.stateDir,
      config: () => config.config,
      gateway: () => ({
        version: GATEWAY_VERSION,
        uptimeMs: Date.now() - startedAt,
        connections: hub.size,
        rssBytes: process.memoryUsage.rss(),
      }),
    }),
  );
  const runtime: GatewayRuntime = {
    paths,
    config,
    settings: () => settings,
    logger,
    hub,
    health,
    startedAt,
    version: GATEWAY_VERSION,
    validateContract,
    onShutdown: (task) => shutdownTasks.push(task),
    connectionCount: () => hub.size,
  };

  const { methods: handlers, http: httpHandlers } = createGatewayHandlers(runtime);
  const methods: ReadonlyMap<string, BoundMethod> = bindHandlers(handlers);
  const presence = new PresenceTracker((list, version) =>
    hub.publish('presence', { presence: list }, { stateVersion: { presence: version, health: health.stateVersion } }),
  );
  health.onRefresh((summary, version) => {
    if (hub.size > 0) hub.publish('health', summary, { stateVersion: { presence: presence.stateVersion, health: version } });
  });

  const advertised = new Map<string, { methods: string[]; events: string[] }>();
  const featuresFor = (c: Connection): { methods: string[]; events: string[] } => {
    const key = `${c.role}|${[...c.scopes].sort().join(',')}`;
    let features = advertised.get(key);
    if (!features) {
      const methodNames = [...methods]
        .filter(([, bound]) => !isNotImplemented(bound.handler) && checkMethodAccess(c.role, c.scopes, bound.entry.scope).ok)
        .map(([name]) => name)
        .sort();
      const eventNames = (Object.keys(EVENT_TABLE) as EventName[])
        .filter((name) => {
          const scope = EVENT_TABLE[name].scope;
          return scope === 'targeted' ? c.role === 'operator' : canReceiveEvent(c.role, c.scopes, scope);
        })
        .sort();
      features = { methods: methodNames, events: eventNames };
      advertised.set(key, features);
    }
    return features;
  };

  const host: ConnectionHost = {
    settings: () => settings,
    methods,
    rateLimiter: limiter,
    logger,
    validateResults: validateContract,
    buildHello(c): HelloOk {
      const admin = c.scopes.has('operator.admin');
      return {
        type: 'hello-ok',
        protocol: c.protocol,
        server: { version: GATEWAY_VERSION, connId: c.connId },
        features: featuresFor(c),
        snapshot: {
          presence: presence.list(),
          health: health.snapshot(),
          stateVersion: { presence: presence.stateVersion, health: health.stateVersion },
          uptimeMs: Date.now() - startedAt,
          ...(admin ? { configPath: paths.configPath, stateDir: paths.stateDir } : {}),
          sessionDefaults: SESSION_DEFAULTS,
          authMode: settings.auth.mode,
        },
        policy: {
          maxPayload: settings.limits.maxPayload,
          maxBufferedBytes: settings.limits.maxBufferedBytes,
          tickIntervalMs: settings.limits.tickIntervalMs,
        },
        auth: { role: c.role, scopes: [...c.scopes] },
      };
    },
    onAuthenticated(c) {
      presence.add(c);
      const fields = {
        connId: c.connId,
        remote: c.remoteAddress,
        client: c.client.id,
        mode: c.client.mode,
        role: c.role,
        protocol: c.protocol,
        scopes: [...c.scopes],
      };
      // Logged once hello-ok is on the wire: the log write is not part of the handshake's latency.
      setImmediate(() => logger.info('client connected', fields));
    },
    onReady(c) {
      hub.add(c);
    },
    onClosed(c) {
      hub.remove(c);
      presence.remove(c);
      logger.debug('connection closed', { connId: c.connId });
    },
  };

  config.onChange(() => {
    const before = settings;
    try {
      settings = computeSettings();
    } catch (error) {
      logger.error('config change could not be applied', { error: (error as Error).message });
      return;
    }
    limiter.configure(settings.auth.rateLimit);
    logger.notice('config reloaded', { path: paths.configPath });
    const rotated = before.auth.token !== settings.auth.token || before.auth.password !== settings.auth.password || before.auth.mode !== settings.auth.mode;
    if (rotated) {
      // Let the response to the write that rotated the secret go out first.
      setImmediate(() => {
        for (const c of [...hub.all()]) if (c.sharedSecretAuth) c.close(4001, 'gateway auth changed');
      });
    }
  });

  const budget = new PreauthBudget(() => settings.limits.maxPreauthPerIp);
  const OPENAI_COMPANIONS: ReadonlySet<string> = new Set(['models', 'modelsRetrieve', 'embeddings']);
  const endpointKeys: Record<string, string> = {
    chatCompletions: 'gateway.http.endpoints.chatCompletions.enabled',
    responses: 'gateway.http.endpoints.responses.enabled',
  };
  const httpListener = createHttpListener({
    rt: runtime,
    limiter,
    handlers: httpHandlers,
    bodyLimit: (endpoint) => {
      const http = config.config.gateway?.http;
      if (endpoint === 'chatCompletions') return http?.endpoints?.chatCompletions?.maxBodyBytes ?? 20 * 1024 * 1024;
      if (endpoint === 'responses') return http?.endpoints?.responses?.maxBodyBytes ?? 20 * 1024 * 1024;
      if (endpoint === 'toolsInvoke') return http?.toolsInvokeMaxBodyBytes ?? 2 * 1024 * 1024;
      // 128 inputs of 8,192 characters fit well within upstream's 5 MiB.
      if (endpoint === 'embeddings') return 5 * 1024 * 1024;
      return 1024 * 1024;
    },
    bodyTimeoutMs: () => config.config.gateway?.http?.requestBodyTimeoutMs ?? 30_000,
    disabledBy: (endpoint) => {
      const endpoints = config.config.gateway?.http?.endpoints as Record<string, { enabled?: boolean } | undefined> | undefined;
      const off = (name: string): boolean => endpoints?.[name]?.enabled === false;
      const key = endpointKeys[endpoint];
      if (key) return off(endpoint) ? key : null;
      // The companions (models, embeddings) go with the OpenAI surface, as upstream: off when both are off.
      if (OPENAI_COMPANIONS.has(endpoint) && off('chatCompletions') && off('responses')) return `${endpointKeys.chatCompletions} or ${endpointKeys.responses}`;
      return null;
    },
  });
  const server = createServer({ keepAliveTimeout: 5_000 }, httpListener);
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  const connections = new Set<Connection>();
  const attach = (connection: Connection): void => {
    connections.add(connection);
    connection.onClose(() => connections.delete(connection));
    connection.start();
  };

  const browserProxy = createGatewayProxyRoute({ server, settings: () => settings, config: () => config.config, logger });
  const transport = new WsTransport({
    server,
    logger,
    budget,
    preauthMaxPayload: settings.limits.preauthMaxPayload,
    pingIntervalMs: settings.limits.pingIntervalMs,
    routes: [browserProxy.route],
    onSocket(socket, events) {
      const connection = new Connection(socket, host);
      events.onMessage((data, isBinary) => connection.receive(data, isBinary));
      events.onClose(() => connection.handleClosed());
      attach(connection);
    },
  });

  const tickTimer = setInterval(() => hub.publish('tick', { ts: Date.now() }), settings.limits.tickIntervalMs);
  tickTimer.unref?.();
  health.start();

  let stopping: Promise<void> | undefined;
  const stop = (stopOptions: { reason?: string; restartExpectedMs?: number | null } = {}): Promise<void> => {
    stopping ??= (async () => {
      logger.notice('gateway stopping', { reason: stopOptions.reason ?? 'gateway stopping' });
      clearInterval(tickTimer);
      health.stop();
      presence.stop();
      server.close();
      hub.publish('shutdown', { reason: stopOptions.reason ?? 'gateway stopping', restartExpectedMs: stopOptions.restartExpectedMs ?? null });
      for (const c of [...connections]) c.close(1012, 'service restart');
      transport.close();
      browserProxy.close();
      for (const task of shutdownTasks.reverse()) {
        try {
          await task();
        } catch (error) {
          logger.error('shutdown task failed', { error: (error as Error).message });
        }
      }
      server.closeAllConnections();
      await logger.flush();
    })();
    return stopping;
  };

  return {
    runtime,
    paths,
    get token() {
      return settings.auth.mode === 'password' ? settings.auth.password : settings.auth.mode === 'none' ? undefined : settings.auth.token;
    },
    tokenGenerated,
    httpServer: server,
    listen: () =>
      new Promise<ListenInfo>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => {
          reject(
            new GatewayStartError(
              error.code === 'EADDRINUSE'
                ? `port ${settings.port} on ${settings.host} is already in use; stop the other process or pass --port`
                : `cannot listen on ${settings.host}:${settings.port}: ${error.message}`,
            ),
          );
        });
        server.listen(settings.port, settings.host, () => {
          const address = server.address();
          const port = typeof address === 'object' && address ? address.port : settings.port;
          const hostForUrl = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
          resolve({ host: settings.host, port, url: `ws://${hostForUrl}:${port}/ws` });
        });
      }),
    connectInProcess(connectOptions = {}) {
      const pair = createInProcessPair({
        ...(connectOptions.remoteAddress ? { remoteAddress: connectOptions.remoteAddress } : {}),
        maxPayload: settings.limits.preauthMaxPayload,
      });
      const connection = new Connection(pair.serverSide, host);
      pair.bind(
        (data, isBinary) => connection.receive(data, isBinary),
        () => connection.handleClosed(),
      );
      attach(connection);
      return pair.client;
    },
    stop,
  };
}
