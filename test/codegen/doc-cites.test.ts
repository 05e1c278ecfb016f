// Comments cite the protocol docs as `docs/<page>.md "<Section>"`: every cited page must exist and
// every cited section must be a heading of that page, so a renamed section cannot leave stale cites.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const FOLDERS = ['bench', 'clients', 'codegen', 'contract', 'server', 'test'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|mjs)$/.test(entry) ? [full] : [];
  });
}

const CITE = /docs\/([a-z-]+\.md)(?: "([^"]+)")?/g;

describe('doc cites', () => {
  it('name pages and sections that exist', () => {
    const headings = new Map<string, Set<string>>();
    const headingsOf = (page: string): Set<string> | undefined => {
      if (!headings.has(page)) {
        try {
          const text = readFileSync(join(root, 'docs', page), 'utf8');
          headings.set(page, new Set([...text.matchAll(/^#{1,4} (.+)$/gm)].map((m) => m[1]!.trim())));
        } catch {
          return undefined;
        }
      }
      return headings.get(page);
    };
    const broken: string[] = [];
    let cites = 0;
    for (const file of FOLDERS.flatMap((f) => sources(join(root, f)))) {
      for (const [, page, section] of readFileSync(file, 'utf8').matchAll(CITE)) {
        cites++;
        const known = headingsOf(page!);
        if (!known) broken.push(`${relative(root, file)}: docs/${page} does not exist`);
        else if (section && !known.has(section)) broken.push(`${relative(root, file)}: docs/${page} has no section "${section}"`);
      }
    }
    expect(broken).toEqual([]);
    expect(cites).toBeGreaterThan(40);
  });
});
