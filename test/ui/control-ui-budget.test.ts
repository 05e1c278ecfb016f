// The Control UI's size budget (script + stylesheet, minified and gzipped, ≤ 150 KB), no validation
// library in it, and none of it in the CLI bundle: the gateway only reads its files on request.
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { CONTROL_UI_BUDGET_BYTES, measureControlUi } from '../../bench/bundle-size.js';

const root = resolve(import.meta.dirname, '../..');

describe('Control UI bundle', () => {
  it('stays within 150 KB gzipped, ships Lit, marked and DOMPurify but no zod', async () => {
    const ui = await measureControlUi();
    expect(ui.gzipBytes).toBeLessThanOrEqual(CONTROL_UI_BUDGET_BYTES);
    expect(ui.inputs.filter((f) => f.includes('node_modules/zod'))).toEqual([]);
    for (const lib of ['node_modules/lit-html', 'node_modules/marked', 'node_modules/dompurify', 'clients/openclaw-client.ts']) {
      expect(ui.inputs.some((f) => f.includes(lib)), lib).toBe(true);
    }
  }, 60_000);

  it('is not part of the CLI bundle the gateway starts from', async () => {
    const cli = await build({
      entryPoints: [join(root, 'server/cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['playwright-core', 'better-sqlite3', 'sqlite-vec', 'sqlite-vec-*'],
    });
    const inputs = Object.keys(cli.metafile.inputs);
    expect(inputs.filter((f) => f.startsWith('ui/') || /node_modules\/(lit|lit-html|lit-element|marked|dompurify)\//.test(f))).toEqual([]);
  }, 60_000);
});
