// A secret given in the config as a string or a SecretRef (`{source: env|file, id}`), resolved to
// its value. Kept free of zod so the CLI's client commands can read the gateway token cheaply.
import { readFileSync } from 'node:fs';
import type { SecretInput } from '../../contract/schemas/config.js';

export class SettingsError extends Error {}

export function resolveSecret(input: SecretInput | undefined, env: NodeJS.ProcessEnv, key: string): string | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'string') return input.length ? input : undefined;
  if (input.source === 'env') {
    const value = env[input.id];
    if (value === undefined) throw new SettingsError(`${key}: environment variable ${input.id} is not set`);
    return value;
  }
  if (input.source === 'file') {
    try {
      return readFileSync(input.id, 'utf8').trim();
    } catch (error) {
      throw new SettingsError(`${key}: cannot read secret file ${input.id}: ${(error as Error).message}`);
    }
  }
  throw new SettingsError(`${key}: secret source "exec" is not supported by this gateway; use env or file`);
}
