// Regression: a kill between writeFileAtomic's write and rename (during config.set, a session
// index write…) left `.openclaw.json.<pid>.<rand>.tmp` behind for good. A gateway start removes
// such files when their writer is gone, and leaves a live writer's temp file and other files alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStaleTempName } from '../../server/state/stale-temp-files.js';
import { makeStateDir, startCli, type RunningGateway } from '../helpers/gateway-targets.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('stale temp files at start-up', () => {
  let gw: RunningGateway;
  let stateDir: string;
  let stale: string[];
  let kept: string[];
  beforeAll(async () => {
    stateDir = makeStateDir();
    const dead = deadPid();
    const sessions = join(stateDir, 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    stale = [join(stateDir, `.openclaw.json.${dead}.0a1b2c3d.tmp`), join(sessions, `.sessions.json.${dead}.deadbeef.tmp`)];
    kept = [
      // this test process is alive: its temp file may be a write in progress
      join(stateDir, `.openclaw.json.${process.pid}.00ff00ff.tmp`),
      join(stateDir, 'notes.tmp'),
      join(stateDir, `.openclaw.json.${dead}.not-hex.tmp`),
    ];
    for (const file of [...stale, ...kept]) writeFileSync(file, '{"half":');
    gw = await startCli(undefined, stateDir);
  });
  afterAll(() => gw?.stop());

  it('removes the temp files of dead writers, in the state dir and below it', async () => {
    await expect.poll(() => stale.filter((f) => existsSync(f)), { timeout: 10_000 }).toEqual([]);
  });

  it('keeps a live writer\'s temp file and files that only look alike', () => {
    for (const file of kept) expect(existsSync(file), file).toBe(true);
    expect(existsSync(join(stateDir, 'openclaw.json'))).toBe(true);
  });

  it('recognises exactly the names writeFileAtomic gives its temp files', () => {
    const gone = (): boolean => false;
    expect(isStaleTempName('.openclaw.json.123.0a1b2c3d.tmp', gone)).toBe(true);
    expect(isStaleTempName('.a.b.c.1.ffffffff.tmp', gone)).toBe(true);
    expect(isStaleTempName('openclaw.json.123.0a1b2c3d.tmp', gone)).toBe(false);
    expect(isStaleTempName('.openclaw.json.123.0a1b2c3.tmp', gone)).toBe(false);
    expect(isStaleTempName('.openclaw.json.123.0a1b2c3d.tmp', () => true)).toBe(false);
  });
});
