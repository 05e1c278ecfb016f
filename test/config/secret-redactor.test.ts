// The by-value redactor: masks keep the byte length (a Content-Length already sent stays right),
// JSON-escaped forms are found too, short values are left alone, and the key-name pattern covers
// header names (`x-api-key`, `api-key`) and webhook URLs.
import { describe, expect, it } from 'vitest';
import { isSensitiveKey, REDACTED, redactValue } from '../../server/config/redact.js';
import { configuredSecrets, SecretRedactor } from '../../server/config/secret-redactor.js';
import { resolveSettings } from '../../server/config/gateway-settings.js';

describe('SecretRedactor', () => {
  const redactor = new SecretRedactor();
  redactor.setSecrets(['sk-secret-123456', 'quote"in"it', 'abc']);

  it('masks every occurrence in text with a mask of the same length', () => {
    const out = redactor.text('a sk-secret-123456 b sk-secret-123456');
    expect(out).toBe('a [redacted]****** b [redacted]******');
    expect(out.length).toBe('a sk-secret-123456 b sk-secret-123456'.length);
  });

  it('finds the JSON-escaped form of a secret in JSON text', () => {
    const json = JSON.stringify({ note: 'x quote"in"it y' });
    expect(redactor.text(json)).not.toContain('quote\\"in\\"it');
    expect(() => JSON.parse(redactor.text(json))).not.toThrow();
  });

  it('masks bytes in place of equal length and returns clean chunks untouched', () => {
    const chunk = Buffer.from('data: {"t":"sk-secret-123456"}\n\n');
    const masked = redactor.bytes(chunk);
    expect(Buffer.from(masked).toString()).toBe('data: {"t":"[redacted]******"}\n\n');
    expect(masked.byteLength).toBe(chunk.byteLength);
    expect(chunk.toString()).toContain('sk-secret-123456');
    const clean = Buffer.from('nothing here');
    expect(redactor.bytes(clean)).toBe(clean);
  });

  it('leaves values too short to be told from ordinary text', () => {
    expect(redactor.text('abc abc')).toBe('abc abc');
  });
});

describe('secret keys and values in the config', () => {
  it.each(['x-api-key', 'api-key', 'apiKey', 'Authorization', 'X-Auth-Token', 'webhook', 'webhookUrl', 'failureWebhook', 'accessKey'])('%s is a secret key', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(['X-Title', 'sessionKey', 'mainKey', 'baseUrl', 'model'])('%s is not', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });

  it('collects inline values, resolved env references and the gateway token', () => {
    const config = {
      gateway: { auth: { token: 'gateway-token-abcdef' } },
      models: { providers: { p: { baseUrl: 'http://x', apiKey: { source: 'env' as const, id: 'TEST_PROVIDER_KEY' }, headers: { 'api-key': 'header-value-1', 'X-Title': 'App Title' } } } },
      cron: { webhook: 'https://hooks.example/secret-path' },
      hooks: { failureWebhook: { url: 'https://hooks.example/nested-secret', enabled: true } },
    };
    const env = { TEST_PROVIDER_KEY: 'env-provider-key-1' };
    const found = configuredSecrets(config, resolveSettings(config, env), env);
    expect([...found].sort()).toEqual(['env-provider-key-1', 'gateway-token-abcdef', 'header-value-1', 'https://hooks.example/nested-secret', 'https://hooks.example/secret-path']);
  });

  it('config.get redaction hides strings under a secret key however deep, and keeps where a SecretRef points', () => {
    const out = redactValue({ hooks: { failureWebhook: { url: 'https://x/secret', enabled: true } }, gateway: { auth: { token: { source: 'env', id: 'TOKEN_VAR' } } } }) as {
      hooks: { failureWebhook: { url: string; enabled: boolean } };
      gateway: { auth: { token: { source: string; id: string } } };
    };
    expect(out.hooks.failureWebhook).toEqual({ url: REDACTED, enabled: true });
    expect(out.gateway.auth.token).toEqual({ source: 'env', id: 'TOKEN_VAR' });
  });
});
