// The environment a command gets: the gateway's own, without its secrets — the gateway token and
// password, provider API keys from the config (by value, whatever the variable is called), and
// anything named like a token, key, secret or password — and without the variables that would
// change how bash reads the command line. `tools.exec.envPassthrough` keeps named ones.
import type { OpenClawConfig } from '../../contract/schemas/config.js';

const SECRET_NAME = /(?:TOKEN|_KEY|KEY_|^KEY$|SECRET|PASSWORD|PASSWD|CREDENTIAL|_PAT$|PRIVATE|COOKIE)/i;
/** Read by bash itself before our command runs, or while it runs. */
const SHELL_CONTROL = /^(?:BASH_ENV|ENV|BASH_FUNC_.*|SHELLOPTS|BASHOPTS|CDPATH|GLOBIGNORE|PS4|PROMPT_COMMAND|IFS|BASH_XTRACEFD|EXECIGNORE)$/;

/** Secret values in the config: the gateway's credentials and every provider key. */
export function configSecrets(config: OpenClawConfig, env: NodeJS.ProcessEnv): Set<string> {
  const secrets = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= 8) secrets.add(value);
  };
  add(config.gateway?.auth?.token);
  add(config.gateway?.auth?.password);
  add(env.OPENCLAW_GATEWAY_TOKEN);
  add(env.OPENCLAW_GATEWAY_PASSWORD);
  for (const provider of Object.values(config.models?.providers ?? {})) add((provider as { apiKey?: unknown }).apiKey);
  return secrets;
}

export interface ScrubbedEnv {
  readonly env: Record<string, string>;
  /** Names removed (for logs and tests; never their values). */
  readonly removed: readonly string[];
}

export function scrubEnvironment(base: NodeJS.ProcessEnv, secrets: ReadonlySet<string>, passthrough: readonly string[] = []): ScrubbedEnv {
  const keep = new Set(passthrough);
  const env: Record<string, string> = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    const secret = !keep.has(name) && (SECRET_NAME.test(name) || name.startsWith('OPENCLAW_GATEWAY_') || secrets.has(value));
    if (secret || SHELL_CONTROL.test(name)) removed.push(name);
    else env[name] = value;
  }
  return { env, removed };
}
