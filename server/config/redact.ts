// Secrets never leave the gateway: config snapshots and logs carry this sentinel instead.
export const REDACTED = '__OPENCLAW_REDACTED__';

/**
 * Keys whose values are secrets: credentials by name (`apiKey`, `api_key`, `x-api-key`, header
 * names like `Authorization` or `X-Auth-Token`) and webhook URLs, which carry their token in the path.
 */
const SENSITIVE_KEY = /(token|password|passwd|secret|api[-_]?key|access[-_]?key|subscription[-_]?key|private[-_]?key|credentials?|authorization|cookie|signature)$|webhook/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** `{source, id}`: names where a secret lives (env, file), which is not itself secret. */
export function isSecretRef(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'source' in value && 'id' in value;
}

/**
 * Deep copy with every sensitive string replaced; also collects the secret values found. Strings
 * anywhere under a secret key are secret too (`webhook: {url}`), except the fields of a SecretRef.
 */
export function redactValue(value: unknown, secrets: Set<string> = new Set(), key = '', underSecret = false): unknown {
  if (typeof value === 'string') {
    if ((underSecret || (key && isSensitiveKey(key))) && value.length > 0) {
      secrets.add(value);
      return REDACTED;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, key, underSecret));
  if (value && typeof value === 'object') {
    const secretHere = underSecret || (key !== '' && isSensitiveKey(key) && !isSecretRef(value));
    const out: Record<string, unknown> = {};
    // Children are judged by their own key: a SecretRef object under `token` names where the secret lives.
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets, k, secretHere);
    return out;
  }
  return value;
}

/** Replaces every quoted occurrence of a secret in raw JSON5 text. */
export function redactRaw(raw: string, secrets: ReadonlySet<string>): string {
  let out = raw;
  for (const secret of secrets) {
    for (const quote of ['"', "'"]) {
      const quoted = `${quote}${secret}${quote}`;
      out = out.split(quoted).join(`${quote}${REDACTED}${quote}`);
      const escaped = `${quote}${JSON.stringify(secret).slice(1, -1)}${quote}`;
      if (escaped !== quoted) out = out.split(escaped).join(`${quote}${REDACTED}${quote}`);
    }
  }
  return out;
}

/** Puts stored secrets back where an incoming document still carries the sentinel. */
export function restoreRedacted(incoming: unknown, stored: unknown): unknown {
  if (incoming === REDACTED) return stored;
  if (Array.isArray(incoming)) {
    const storedArray = Array.isArray(stored) ? stored : [];
    return incoming.map((v, i) => restoreRedacted(v, storedArray[i]));
  }
  if (incoming && typeof incoming === 'object') {
    const storedObject = stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(incoming)) out[k] = restoreRedacted(v, storedObject[k]);
    return out;
  }
  return incoming;
}
