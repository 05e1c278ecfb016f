// `${NAME}` references in config strings, resolved from the environment (no schema, no zod: the
// CLI's client commands read the gateway's credentials with it without loading the contract).
const ENV_REF = /(\$?)\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** Replaces `${NAME}` in every string with the environment value; `$${NAME}` stays literal. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, missing: string[], path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (match, escape: string, name: string) => {
      if (escape) return match.slice(1);
      const resolved = env[name];
      if (resolved === undefined) {
        missing.push(`${path || '(root)'}: environment variable ${name} is not set`);
        return '';
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, missing, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, missing, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
