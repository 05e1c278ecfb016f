import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface StatePaths {
  readonly stateDir: string;
  readonly configPath: string;
  readonly logFile: string;
}

/** `--state-dir` > OPENCLAW_STATE_DIR > ~/.openclaw; config: OPENCLAW_CONFIG_PATH > <stateDir>/openclaw.json. */
export function resolveStatePaths(env: NodeJS.ProcessEnv, stateDirFlag?: string): StatePaths {
  const stateDir = resolve(stateDirFlag || env.OPENCLAW_STATE_DIR || join(homedir(), '.openclaw'));
  const configPath = resolve(env.OPENCLAW_CONFIG_PATH || join(stateDir, 'openclaw.json'));
  return { stateDir, configPath, logFile: join(stateDir, 'logs', 'gateway.log') };
}
