// Redaction by value: every secret the live config holds (by key name anywhere in it, SecretRefs
// resolved, the gateway's own token and password) is masked wherever the gateway emits text —
// frames, events, HTTP bodies, logs — so a secret quoted back by an upstream error (`Bearer sk-…`
// in a provider's 401) never reaches a client. The mask keeps the byte length, so a Content-Length
// already sent stays right.
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { SecretInput } from '../../contract/schemas/config.js';
import { resolveSecret, type GatewaySettings } from './gateway-settings.js';
import { isSecretRef, isSensitiveKey } from './redact.js';

/** Shorter values are not masked in free text: they would hit ordinary words and reveal little. */
export const MIN_REDACTED_LENGTH = 6;
const MASK_WORD = '[redacted]';

interface Needle {
  readonly text: string;
  readonly bytes: Buffer;
  readonly mask: string;
  readonly maskBytes: Buffer;
}

/** A mask as long (in UTF-8 bytes) as what it hides. */
function maskOf(byteLength: number): string {
  return byteLength >= MASK_WORD.length ? MASK_WORD + '*'.repeat(byteLength - MASK_WORD.length) : '*'.repeat(byteLength);
}

export class SecretRedactor {
  private needles: readonly Needle[] = [];

  /** Replaces the set of secrets (plain values; their JSON-escaped forms are added here). */
  setSecrets(values: Iterable<string>): void {
    const all = new Set<string>();
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_REDACTED_LENGTH) continue;
      all.add(value);
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value) all.add(escaped);
    }
    // Longest first, so a secret that contains another is masked whole.
    this.needles = [...all]
      .sort((a, b) => b.length - a.length)
      .map((text) => {
        const bytes = Buffer.from(text, 'utf8');
        const mask = maskOf(bytes.length);
        return { text, bytes, mask, maskBytes: Buffer.from(mask, 'utf8') };
      });
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  /** `text` with every secret masked (the same string when it holds none). */
  text(text: string): string {
    let out = text;
    for (const needle of this.needles) if (out.includes(needle.text)) out = out.split(needle.text).join(needle.mask);
    return out;
  }

  /** The same for bytes on their way out; a chunk that holds no secret is returned as it is. */
  bytes(chunk: Uint8Array): Uint8Array {
    let out: Buffer | undefined;
    for (const needle of this.needles) {
      const source = out ?? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let at = source.indexOf(needle.bytes);
      if (at < 0) continue;
      out ??= Buffer.from(source);
      while (at >= 0) {
        needle.maskBytes.copy(out, at);
        at = out.indexOf(needle.bytes, at + needle.bytes.length);
      }
    }
    return out ?? chunk;
  }
}

/** Every secret value in the config (by key name, SecretRefs resolved) and the gateway's own secrets. */
export function configuredSecrets(config: OpenClawConfig, settings: GatewaySettings, env: NodeJS.ProcessEnv): Set<string> {
  const found = new Set<string>();
  // Strings under a secret key are secret, however deep (`webhook: {url}`); a SecretRef is resolved.
  const visit = (value: unknown, key: string, path: string, depth: number, underSecret: boolean): void => {
    if (depth > 32) return;
    const secret = underSecret || (key !== '' && isSensitiveKey(key));
    if (secret && typeof value === 'string') {
      found.add(value);
      return;
    }
    if (secret && isSecretRef(value)) {
      const ref = SecretInput.safeParse(value);
      try {
        const resolved = ref.success && typeof ref.data !== 'string' ? resolveSecret(ref.data, env, path) : undefined;
        if (resolved) found.add(resolved);
      } catch {
        // unresolvable: nothing to hide
      }
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item, key, path, depth + 1, secret);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k, path ? `${path}.${k}` : k, depth + 1, secret);
    }
  };
  visit(config, '', '', 0, false);
  if (settings.auth.token) found.add(settings.auth.token);
  if (settings.auth.password) found.add(settings.auth.password);
  return found;
}
