// The child process side with real bash: process groups (a timeout or an abort ends the
// grandchildren too), bounded output with a marker, streamed output.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../server/exec/exec-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'exec-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 20_000, maxOutputChars: 100_000 };

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidFrom = async (file: string): Promise<number> => {
  await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8').trim().length > 0, { timeout: 10_000 }).toBe(true);
  return Number(readFileSync(file, 'utf8').trim());
};

describe('exec runner (real bash)', () => {
  it('runs pipelines and substitutions', async () => {
    const result = await startCommand({ ...base, shell: 'printf "b\\na\\nc\\n" | sort | head -n 2; echo "n=$(echo 3)" >&2; exit 3' }).done;
    expect(result).toMatchObject({ exitCode: 3, stdout: 'a\nb\n', stderr: 'n=3\n', timedOut: false, aborted: false });
  });

  it('a timeout kills the whole process group, grandchildren included', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const running = startCommand({ ...base, timeoutMs: 1_500, shell: `(sleep 300 & echo $! > ${pidFile}; wait) ; sleep 300` });
    const grandchild = await pidFrom(pidFile);
    expect(alive(grandchild)).toBe(true);
    const result = await running.done;
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    await expect.poll(() => alive(grandchild), { timeout: 10_000 }).toBe(false);
  });

  it('an abort mid-run ends it at once', async () => {
    const controller = new AbortController();
    const pidFile = join(dir, 'abort.pid');
    const seen: string[] = [];
    const running = startCommand({ ...base, signal: controller.signal, shell: `echo started; sleep 300 & echo $! > ${pidFile}; wait`, onOutput: (_s, t) => seen.push(t) });
    const sleeper = await pidFrom(pidFile);
    await expect.poll(() => seen.join(''), { timeout: 10_000 }).toContain('started');
    controller.abort();
    const result = await running.done;
    expect(result.aborted).toBe(true);
    expect(result.stdout).toBe('started\n');
    await expect.poll(() => alive(sleeper), { timeout: 10_000 }).toBe(false);
  });

  it('caps output, keeping the start and the end with a marker between', async () => {
    const result = await startCommand({ ...base, maxOutputChars: 4_000, shell: 'seq 1 20000' }).done;
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.stdout.endsWith('19999\n20000\n')).toBe(true);
    expect(result.stdout).toMatch(/…\[output truncated: \d+ characters omitted\]…/);
    expect(result.truncated.stdout).toBeGreaterThan(100_000);
    expect(result.stdout.length).toBeLessThan(4_200);
  });

  it('background work left behind by a finished command is ended with it', async () => {
    const pidFile = join(dir, 'left.pid');
    const result = await startCommand({ ...base, shell: `sleep 300 >/dev/null 2>&1 & echo $! > ${pidFile}; echo done` }).done;
    expect(result.stdout).toBe('done\n');
    const left = Number(readFileSync(pidFile, 'utf8').trim());
    await expect.poll(() => alive(left), { timeout: 10_000 }).toBe(false);
  });

  it('runs an argv directly, without a shell', async () => {
    const result = await startCommand({ ...base, file: '/bin/echo', argv: ['echo', '$HOME', '*'] }).done;
    expect(result.stdout).toBe('$HOME *\n');
  });
});
