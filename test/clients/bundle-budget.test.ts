// The browser client's size budget and its no-validation-library rule, checked on every run
// (bench/bundle-size.ts prints the same numbers for reports).
import { describe, expect, it } from 'vitest';
import { BROWSER_BUDGET_BYTES, measureClientBundles } from '../../bench/bundle-size.js';

describe('client bundles', () => {
  it('BrowserGatewayClient stays within 4 KB gzipped and ships no zod', async () => {
    const [browser, withStream, full] = await measureClientBundles();
    expect(browser!.gzipBytes).toBeLessThanOrEqual(BROWSER_BUDGET_BYTES);
    for (const bundle of [browser!, withStream!, full!]) {
      expect(bundle.inputs.filter((f) => f.includes('node_modules/zod'))).toEqual([]);
    }
    expect(full!.inputs.some((f) => f.includes('reconnecting-websocket'))).toBe(true);
  });
});
