// Snapshot text shaping: line parsing (names with quotes, values, frame refs), compact mode,
// interactive listing, the size cap and upstream's aria node list.
import { describe, expect, it } from 'vitest';
import { ariaNodeList, formatSnapshot, parseSnapshotLine } from '../../server/browser/aria-snapshot.js';

const RAW = [
  '- generic [active] [ref=e1]:',
  '  - heading "Say \\"hi\\"" [level=1] [ref=e2]',
  '  - generic [ref=e3]:',
  '    - text: Name',
  '    - textbox "Name" [ref=f1e4]: Ada',
  '  - list [ref=e5]:',
  '    - listitem [ref=e6]:',
  '      - link "Home" [ref=e7] [cursor=pointer]:',
  '        - /url: /home',
  '  - button "Go" [ref=e8]',
].join('\n');

describe('snapshot text', () => {
  it('parses roles, quoted names, values and refs', () => {
    expect(parseSnapshotLine('  - heading "Say \\"hi\\"" [level=1] [ref=e2]')).toMatchObject({ depth: 1, role: 'heading', name: 'Say "hi"', ref: 'e2', value: undefined });
    expect(parseSnapshotLine('    - textbox "Name" [ref=f1e4]: Ada')).toMatchObject({ depth: 2, role: 'textbox', name: 'Name', ref: 'f1e4', value: 'Ada' });
    expect(parseSnapshotLine('    - text: Name')).toMatchObject({ role: 'text', value: 'Name', ref: undefined });
    expect(parseSnapshotLine('plain continuation')).toBeUndefined();
  });

  it('compacts unnamed wrappers, lists interactive elements, counts refs', () => {
    const compact = formatSnapshot(RAW, { compact: true, maxChars: 10_000 });
    expect(compact.snapshot.split('\n')).toEqual([
      '- heading "Say \\"hi\\"" [level=1] [ref=e2]',
      '- text: Name',
      '- textbox "Name" [ref=f1e4]: Ada',
      '- listitem [ref=e6]:',
      '  - link "Home" [ref=e7] [cursor=pointer]:',
      '    - /url: /home',
      '- button "Go" [ref=e8]',
    ]);
    expect(compact.stats).toMatchObject({ refs: 8, interactive: 3 });
    const interactive = formatSnapshot(RAW, { interactive: true, maxChars: 10_000 });
    expect(interactive.snapshot).toBe('- textbox "Name" [ref=f1e4]: Ada\n- link "Home" [ref=e7] [cursor=pointer]:\n- button "Go" [ref=e8]');
  });

  it('cuts at a line boundary and says so', () => {
    const capped = formatSnapshot(RAW, { maxChars: 60 });
    expect(capped.truncated).toBe(true);
    expect(capped.snapshot.split('\n')[0]).toBe('- generic [active] [ref=e1]:');
    expect(capped.snapshot).toMatch(/\[…truncated: \d+ more characters/);
    expect(formatSnapshot(RAW, { maxChars: 10_000 }).truncated).toBe(false);
  });

  it('lists nodes with refs in the aria format, up to the limit', () => {
    expect(ariaNodeList(RAW, 3)).toEqual([
      { ref: 'e1', role: 'generic', name: '', depth: 0 },
      { ref: 'e2', role: 'heading', name: 'Say "hi"', depth: 1 },
      { ref: 'e3', role: 'generic', name: '', depth: 1 },
    ]);
  });
});
