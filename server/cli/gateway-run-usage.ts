// The help of `openclaw gateway [run]`, apart from the command so help does not load the server.
export const GATEWAY_RUN_USAGE = `Usage: openclaw gateway [run] [options]

Runs the OpenClaw gateway (WebSocket RPC + HTTP on one port).

Options:
  --port <n>         port to listen on (default 18789, env OPENCLAW_GATEWAY_PORT)
  --bind <mode>      loopback (default) | lan | <address>
  --token <token>    gateway token (default: env OPENCLAW_GATEWAY_TOKEN, then gateway.auth.token)
  --state-dir <dir>  state directory (default ~/.openclaw, env OPENCLAW_STATE_DIR)
  --verbose          debug logging
  -h, --help         show this help
`;
