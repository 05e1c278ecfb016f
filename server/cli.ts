// `openclaw gateway [--port N] [--bind loopback|lan|<address>] [--token T] [--state-dir DIR]`
import { parseArgs } from 'node:util';
import { createGateway, GatewayStartError } from './gateway.js';
import { GATEWAY_VERSION } from './version.js';

const USAGE = `Usage: openclaw gateway [options]

Runs the OpenClaw gateway (WebSocket RPC + HTTP on one port).

Options:
  --port <n>         port to listen on (default 18789, env OPENCLAW_GATEWAY_PORT)
  --bind <mode>      loopback (default) | lan | <address>
  --token <token>    gateway token (default: env OPENCLAW_GATEWAY_TOKEN, then gateway.auth.token)
  --state-dir <dir>  state directory (default ~/.openclaw, env OPENCLAW_STATE_DIR)
  --verbose          debug logging
  -h, --help         show this help
  -v, --version      print the version
`;

async function runGateway(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      bind: { type: 'string' },
      token: { type: 'string' },
      'state-dir': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`openclaw: --port must be a number from 0 to 65535 (got "${values.port}")\n`);
      return 2;
    }
  }
  const gateway = await createGateway({
    ...(port === undefined ? {} : { port }),
    ...(values.bind === undefined ? {} : { bind: values.bind }),
    ...(values.token === undefined ? {} : { token: values.token }),
    ...(values['state-dir'] === undefined ? {} : { stateDir: values['state-dir'] }),
    console: true,
    ...(values.verbose ? { logLevel: 'debug' as const } : {}),
  });
  const info = await gateway.listen();
  const out = process.stdout;
  out.write(`OpenClaw gateway ${GATEWAY_VERSION} listening on ${info.url}\n`);
  out.write(`  http:   http://${info.url.slice(5, -3)}/  (dashboard, /v1/chat/completions, /tools/invoke)\n`);
  if (gateway.tokenGenerated) {
    out.write(`  token:  ${gateway.token}  (generated; stored in ${gateway.paths.configPath})\n`);
  } else if (gateway.token) {
    out.write(`  token:  configured (gateway.auth.token in ${gateway.paths.configPath}, or OPENCLAW_GATEWAY_TOKEN)\n`);
  } else {
    out.write('  auth:   none (gateway.auth.mode is "none")\n');
  }
  out.write(`  state:  ${gateway.paths.stateDir}\n  logs:   ${gateway.paths.logFile}\n`);
  if (info.host !== '127.0.0.1' && info.host !== '::1' && info.host !== 'localhost') {
    out.write(`  warning: listening beyond loopback (${info.host}); anyone who can reach this port can try the token\n`);
  }

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        process.stderr.write('openclaw: forced exit\n');
        resolve(130);
        return;
      }
      out.write(`\nopenclaw: ${signal} received, shutting down\n`);
      gateway.stop({ reason: `gateway stopping (${signal})` }).then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${GATEWAY_VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'gateway') {
    process.stderr.write(`openclaw: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await runGateway(rest);
  } catch (error) {
    if (error instanceof GatewayStartError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`openclaw: ${(error as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`openclaw: failed to start: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`openclaw: ${String(error)}\n`);
    process.exit(1);
  },
);
