// Assembles one gateway process: config, logger, auth, the event hub, handlers, the HTTP app and
// the WebSocket transport on one node:http server; and takes it all down again in order.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { bindHandlers } from '../generated/server/dispatch-table.js';
import { AuthRateLimiter } from './auth/auth-rate-limiter.js';
import { browserOriginPolicy } from './auth/browser-origin.js';
import { ConfigStore } from './config/config-store.js';
import { formatConfigIssues } from './config/config-file.js';
import { reloadSettings } from './config/config-reload.js';
import { hotReloadStatus, watchConfigFile } from './config/config-watcher.js';
import { resolveSettings, type GatewaySettings, type SettingsOverrides } from './config/gateway-settings.js';
import { resolveStatePaths, type StatePaths } from './config/state-paths.js';
import { acquireInstanceLock, type InstanceLock } from './state/instance-lock.js';
import { configuredSecrets, SecretRedactor } from './config/secret-redactor.js';
import { removeStaleTempFiles } from './state/stale-temp-files.js';
import { ClientCalls } from './core/client-calls.js';
import { Connection } from './core/connection.js';
import type { ConnectionHost } from './core/connection-host.js';
import { Dispatcher } from './core/dispatcher.js';
import { EventHub } from './core/event-hub.js';
import { createHelloBuilder } from './core/hello-builder.js';
import { createInProcessCaller, type CallerPrincipal, type InProcessCaller } from './core/in-process-caller.js';
import type { BoundMethod } from './core/method-entry.js';
import { PresenceTracker } from './core/presence.js';
import { createGatewayHandlers, createGatewayServices, type GatewayServices } from './gateway-handlers.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { createHttpListener } from './http/http-app.js';
import { endpointPolicy } from './http/endpoint-policy.js';
import { createGatewayLogger, type LogLevel } from './logs/gateway-logger.js';
import { createGatewayProxyRoute } from './proxy/gateway-proxy-route.js';
import { advertiseGateway, type Advertisement } from './discovery/mdns-advertiser.js';
import { defaultHealthSources } from './system/default-health-sources.js';
import { EventLoopMonitor } from './system/event-loop-health.js';
import { HealthService } from './system/health-service.js';
import { createInProcessPair, type InProcessClientSide } from './transport/in-process-transport.js';
import { ConnectionGuard } from './transport/connection-guard.js';
import { PreauthBudget } from './transport/preauth-budget.js';
import { WsTransport } from './transport/ws-transport.js';
import { GATEWAY_VERSION } from './version.js';

export class GatewayStartError extends Error {}

/** One sentence for a failed listen: what went wrong and what to do about it. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use; stop the other process or pass --port`;
    case 'EACCES':
      return `not allowed to listen on port ${port} (ports below 1024 need privileges); pass --port with a higher number`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host}: it is not an address of this machine; use --bind loopback, lan or one of this machine's addresses`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

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
  /** The subsystem services (agent runtime, …) this gateway was composed of. */
  readonly services: GatewayServices;
  /** Every wire name (method or alias) bound to its handler slot; planned ones hold NOT_IMPLEMENTED. */
  readonly methods: ReadonlyMap<string, BoundMethod>;
  readonly paths: StatePaths;
  /** The shared secret clients must present (undefined when auth mode is none). */
  readonly token: string | undefined;
  /** True when this start generated the token and wrote it to the config file. */
  readonly tokenGenerated: boolean;
  readonly httpServer: Server;
  listen(): Promise<ListenInfo>;
  /** A connection through the real codec and state machine, without a socket. */
  connectInProcess(options?: { remoteAddress?: string }): InProcessClientSide;
  /** A caller inside this process, through the dispatcher with the principal's scopes (see GatewayRuntime.createCaller). */
  createCaller(principal: CallerPrincipal): InProcessCaller;
  /** `quiet`: log the stop to the file only (a start-up that failed has already said why). */
  stop(options?: { reason?: string; restartExpectedMs?: number | null; quiet?: boolean }): Promise<void>;
}

export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  const paths = resolveStatePaths(env, options.stateDir);
  let lock: InstanceLock;
  try {
    lock = acquireInstanceLock(paths.stateDir);
  } catch (error) {
    throw new GatewayStartError((error as Error).message);
  }
  try {
    return await assembleGateway(options, env, paths, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function assembleGateway(options: GatewayOptions, env: NodeJS.ProcessEnv, paths: StatePaths, lock: InstanceLock): Promise<Gateway> {
  const config = new ConfigStore(paths.configPath, env);
  if (!config.loaded.valid) throw new GatewayStartError(formatConfigIssues(paths.configPath, config.loaded.issues, config.loaded.unreadable));

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

  // Secret values of the live config, masked wherever text leaves the gateway (frames, HTTP, logs).
  const redactor = new SecretRedactor();
  const refreshSecrets = (): void => redactor.setSecrets(configuredSecrets(config.config, settings, env));
  refreshSecrets();
  const logger = createGatewayLogger({
    file: paths.logFile,
    level: options.logLevel ?? config.config.logging?.level ?? 'info',
    console: options.console ?? false,
    redact: (line) => redactor.text(line),
  });
  const validateContract = options.validateContract ?? env.OPENCLAW_VALIDATE_CONTRACT === '1';
  const startedAt = Date.now();
  const shutdownTasks: (() => Promise<void> | void)[] = [];
  // A kill between an atomic write and its rename leaves a temp file; sweep them off the start-up path.
  const sweep = removeStaleTempFiles([
    { dir: paths.stateDir, depth: 4 },
    { dir: dirname(paths.configPath), depth: 0 },
  ]).then(
    (result) => {
      if (result.removed.length > 0) logger.info('removed stale temp files', { count: result.removed.length, files: result.removed.slice(0, 20) });
    },
    (error: unknown) => logger.warn('stale temp file sweep failed', { error: (error as Error).message }),
  );
  shutdownTasks.push(() => sweep);
  const hub = new EventHub(logger, validateContract, (json) => redactor.text(json));
  /** Client sockets past hello-ok (the hub also holds in-process callers that listen for events). */
  let readySockets = 0;
  const limiter = new AuthRateLimiter(settings.auth.rateLimit);
  const eventLoop = new EventLoopMonitor();
  const health = new HealthService({
    eventLoop: () => eventLoop.snapshot(),
    configReload: () => ({ hotReloadStatus: hotReloadStatus(config.config) }),
    ...defaultHealthSources({
      stateDir: paths.stateDir,
      config: () => config.config,
      gateway: () => ({
        version: GATEWAY_VERSION,
        uptimeMs: Date.now() - startedAt,
        connections: readySockets,
        rssBytes: process.memoryUsage.rss(),
      }),
    }),
  });
  // Bound once the handlers exist; in-process callers made before that fail loudly.
  let dispatcher: Dispatcher | undefined;
  const runtime: GatewayRuntime = {
    paths,
    config,
    env,
    settings: () => settings,
    logger,
    hub,
    health,
    startedAt,
    version: GATEWAY_VERSION,
    validateContract,
    createCaller(principal) {
      if (!dispatcher) throw new Error(`createCaller(${principal.id}) was called before the gateway's handlers were bound`);
      return createInProcessCaller(dispatcher, hub, principal, GATEWAY_VERSION);
    },
    clientCalls: new ClientCalls(hub),
    onShutdown: (task) => shutdownTasks.push(task),
    connectionCount: () => readySockets,
  };

  const services = createGatewayServices(runtime);
  const { methods: handlers, http: httpHandlers } = createGatewayHandlers(runtime, services);
  const methods: ReadonlyMap<string, BoundMethod> = bindHandlers(handlers);
  dispatcher = new Dispatcher({
    methods,
    logger,
    validateContract,
    maxInFlight: () => settings.limits.maxInFlightPerConnection,
  });
  const presence = new PresenceTracker({
    full: (to, payload, version) => void hub.publish('presence', payload, { to, stateVersion: { presence: version, health: health.stateVersion } }),
    delta: (to, payload, version) => void hub.publish('presence.delta', payload, { to, stateVersion: { presence: version, health: health.stateVersion } }),
    maxBufferedBytes: () => settings.limits.maxBufferedBytes,
  });
  health.onRefresh((summary, version) => {
    if (hub.size > 0) hub.publish('health', summary, { stateVersion: { presence: presence.stateVersion, health: version } });
  });

  const connections = new Set<Connection>();
  const host: ConnectionHost = {
    settings: () => settings,
    dispatcher,
    rateLimiter: limiter,
    logger,
    deviceGate: services.devices.pairing,
    redactText: (text) => redactor.text(text),
    buildHello: createHelloBuilder({
      version: GATEWAY_VERSION,
      startedAt,
      paths,
      methods,
      presence,
      health,
      settings: () => settings,
      sessionDefaults: () => services.agents.mainSession.defaults(),
    }),
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
      readySockets++;
      presence.listen(c);
    },
    onClosed(c) {
      if (hub.remove(c)) readySockets--;
      presence.remove(c);
      logger.debug('connection closed', { connId: c.connId });
    },
  };

  const configWatcher = watchConfigFile(config, logger);
  config.onChange(() =>
    reloadSettings({
      logger,
      limiter,
      configPath: paths.configPath,
      current: () => settings,
      compute: computeSettings,
      apply: (next) => (settings = next),
      sharedSecretConnections: () => [...connections].filter((c) => c.isReady() && c.sharedSecretAuth),
    }),
  );
  config.onChange(refreshSecrets);

  const budget = new PreauthBudget(() => settings.limits.maxPreauthPerIp);
  const httpListener = createHttpListener({ rt: runtime, limiter, redactor, handlers: httpHandlers, ...endpointPolicy(() => config.config) });
  const server = createServer({ keepAliveTimeout: 5_000 }, httpListener);
  new ConnectionGuard(() => settings.limits).attach(server);
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

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
    originPolicy: () => browserOriginPolicy(config.config),
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
  let advertisement: Promise<Advertisement | undefined> | undefined;
  const stop = (stopOptions: { reason?: string; restartExpectedMs?: number | null; quiet?: boolean } = {}): Promise<void> => {
    stopping ??= (async () => {
      (stopOptions.quiet ? logger.info : logger.notice)('gateway stopping', { reason: stopOptions.reason ?? 'gateway stopping' });
      clearInterval(tickTimer);
      configWatcher.close();
      await (await advertisement?.catch(() => undefined))?.stop();
      runtime.clientCalls.failAll('the gateway is stopping');
      health.stop();
      eventLoop.close();
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
      lock.release();
    })();
    return stopping;
  };

  return {
    runtime,
    services,
    methods,
    createCaller: (principal) => runtime.createCaller(principal),
    paths,
    get token() {
      return settings.auth.mode === 'password' ? settings.auth.password : settings.auth.mode === 'none' ? undefined : settings.auth.token;
    },
    tokenGenerated,
    httpServer: server,
    listen: () =>
      new Promise<ListenInfo>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => reject(new GatewayStartError(listenFailure(error, settings.host, settings.port))));
        server.listen(settings.port, settings.host, () => {
          // An accept that fails later (EMFILE) is logged; unheard, it would end the process.
          server.on('error', (error: NodeJS.ErrnoException) => logger.warn('server error', { code: error.code, error: error.message }));
          const address = server.address();
          const port = typeof address === 'object' && address ? address.port : settings.port;
          lock.update({ port, host: settings.host });
          advertisement = advertiseGateway({ discovery: config.config.discovery, env, host: settings.host, port, version: GATEWAY_VERSION }, logger).catch((error: unknown) => {
            logger.warn('mDNS advertisement not started', { error: (error as Error).message });
            return undefined;
          });
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
