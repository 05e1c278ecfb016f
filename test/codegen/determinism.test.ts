// Codegen output must not depend on run order or timing, or `codegen:check` would flap.
import { describe, expect, it } from 'vitest';
import { generate } from '../../codegen/main.js';

describe('codegen determinism', () => {
  it('two generate() runs are byte-identical', () => {
    const first = generate();
    const second = generate();
    expect(second.map((f) => f.path)).toEqual(first.map((f) => f.path));
    for (let i = 0; i < first.length; i++) expect(second[i]!.text, first[i]!.path).toBe(first[i]!.text);
  });

  it('emits every generated/ area and the generated docs pages, in sorted order', () => {
    const paths = generate().map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    const areas = ['generated/server/', 'generated/clients/', 'generated/http/', 'generated/schema/protocol.schema.json', 'generated/schema/openapi.json', 'docs/'];
    for (const area of areas) {
      expect(paths.some((p) => p.startsWith(area)), area).toBe(true);
    }
  });
});
