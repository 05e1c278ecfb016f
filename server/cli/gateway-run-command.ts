// `openclaw gateway` (or `gateway run`): runs the gateway in the foreground until SIGINT/SIGTERM.
import { createGateway, GatewayStartError, type Gateway } from '../gateway.js';
import { GATEWAY_VERSION } from '../version.js';
import { CliError } from './cli-error.js';
import { gatewayBanner } from './gateway-banner.js';
import { GATEWAY_RUN_USAGE } from './gateway-run-usage.js';
import { parseOptions } from './parse-options.js';

export async function runGatewayRunCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('gateway', args, {
    port: { type: 'string' },
    bind: { type: 'string' },
    token: { type: 'string' },
    'state-dir': { type: 'string' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(GATEWAY_RUN_USAGE);
    return 0;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new CliError(`--port must be a number from 0 to 65535 (got "${values.port}")`, 2);
  }
  if (values.token !== undefined && values.token.trim() === '') {
    throw new CliError('--token is empty (an unset variable?); pass a non-empty token, or leave --token out to use the configured one', 2);
  }
  if (values.bind !== undefined && values.bind.trim() === '') throw new CliError('--bind is empty; use loopback, lan or an address of this machine', 2);

  let gateway: Gateway;
  try {
    gateway = await createGateway({
      ...(port === undefined ? {} : { port }),
      ...(values.bind === undefined ? {} : { bind: values.bind }),
      ...(values.token === undefined ? {} : { token: values.token }),
      ...(values['state-dir'] === undefined ? {} : { stateDir: values['state-dir'] }),
      console: true,
      ...(values.verbose ? { logLevel: 'debug' as const } : {}),
    });
  } catch (error) {
    if (error instanceof GatewayStartError) throw new CliError(error.message);
    throw error;
  }
  let info: Awaited<ReturnType<Gateway['listen']>>;
  try {
    info = await gateway.listen();
  } catch (error) {
    // Stop what was started (logger, timers, the state-dir lock) so the process exits cleanly.
    await gateway.stop({ reason: 'start-up failed', quiet: true }).catch(() => {});
    if (error instanceof GatewayStartError) throw new CliError(error.message);
    throw error;
  }
  const auth = gateway.runtime.settings().auth;
  process.stdout.write(
    gatewayBanner({
      version: GATEWAY_VERSION,
      url: info.url,
      host: info.host,
      port: info.port,
      authMode: auth.mode,
      token: gateway.token,
      tokenSource: auth.tokenSource,
      tokenGenerated: gateway.tokenGenerated,
      configPath: gateway.paths.configPath,
      stateDir: gateway.paths.stateDir,
      logFile: gateway.paths.logFile,
    }),
  );

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        process.stderr.write('openclaw: forced exit\n');
        resolve(130);
        return;
      }
      process.stdout.write(`\nopenclaw: ${signal} received, shutting down\n`);
      gateway.stop({ reason: `gateway stopping (${signal})` }).then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
