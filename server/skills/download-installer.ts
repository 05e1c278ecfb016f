// The `download` installer: fetches an archive (or a single file), checks it against the pinned
// sha256 before anything is written where it stays, and unpacks it only when every entry lands
// inside the target folder (no absolute paths, no `..`, no links pointing out, no devices).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as tar from 'tar';
import type { SkillsInstallResult } from '../../contract/schemas/skills.js';
import type { InstallSpec } from './skill-frontmatter.js';

const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;
const MAX_ENTRIES = 20_000;

const fail = (reason: string, message: string, stderr = ''): SkillsInstallResult => ({ ok: false, message, stdout: '', stderr, code: null, reason });

/** `dir` joined with a relative path that must stay inside it; undefined when it would leave. */
export function inside(dir: string, relativePath: string): string | undefined {
  if (isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath) || relativePath.split(/[\\/]/).includes('..')) return undefined;
  const root = resolve(dir);
  const path = resolve(root, relativePath);
  return path === root || path.startsWith(root + sep) ? path : undefined;
}

function archiveType(spec: InstallSpec, fileName: string): 'tar.gz' | 'tar' | 'zip' | undefined {
  const name = (spec.archive ?? fileName).toLowerCase();
  if (name.endsWith('tar.gz') || name.endsWith('tgz')) return 'tar.gz';
  if (name.endsWith('tar')) return 'tar';
  if (name.endsWith('zip')) return 'zip';
  return undefined;
}

/** Why the archive may not be unpacked into `target`, or undefined when every entry stays inside. */
async function unsafeEntry(file: string, target: string, strip: number): Promise<string | undefined> {
  let problem: string | undefined;
  let count = 0;
  await tar.t({
    file,
    onReadEntry: (entry) => {
      count++;
      if (problem) return;
      if (count > MAX_ENTRIES) problem = `more than ${MAX_ENTRIES} entries`;
      const parts = entry.path.split('/').filter((p) => p !== '' && p !== '.');
      const raw = entry.path;
      if (isAbsolute(raw) || raw.split(/[\\/]/).includes('..')) {
        problem = `entry "${raw.slice(0, 200)}" would be written outside the skill's folder`;
        return;
      }
      const rest = parts.slice(strip).join('/');
      if (!rest) return;
      const dest = inside(target, rest);
      if (!dest) problem = `entry "${raw.slice(0, 200)}" would be written outside the skill's folder`;
      else if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        const link = entry.linkpath ?? '';
        const base = entry.type === 'SymbolicLink' ? resolve(dest, '..') : resolve(target);
        const to = isAbsolute(link) ? link : resolve(base, link);
        if (!(to === resolve(target) || to.startsWith(resolve(target) + sep))) problem = `link "${raw.slice(0, 200)}" points outside the skill's folder`;
      } else if (!['File', 'OldFile', 'ContiguousFile', 'Directory'].includes(entry.type)) {
        problem = `entry "${raw.slice(0, 200)}" is a ${entry.type}, not a file or folder`;
      }
    },
  });
  return problem;
}

export async function installDownload(spec: InstallSpec, toolsDir: string, timeoutMs: number, signal: AbortSignal): Promise<SkillsInstallResult> {
  if (!spec.url) return fail('UNSUPPORTED', 'this download installer names no url');
  if (!spec.sha256) return fail('UNSUPPORTED', 'download installers need a pinned sha256 of the file; add sha256 to the install spec in SKILL.md');
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return fail('UNSUPPORTED', `"${spec.url.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('UNSUPPORTED', `only http(s) downloads are supported, not ${url.protocol}`);
  const target = spec.targetDir ? inside(toolsDir, spec.targetDir) : toolsDir;
  if (!target) return fail('UNSAFE_ARCHIVE', `targetDir "${spec.targetDir}" leaves the skill's install folder ${toolsDir}`);
  const fileName = basename(url.pathname) || 'download';
  mkdirSync(target, { recursive: true, mode: 0o755 });
  const temp = join(toolsDir, `.download-${randomBytes(6).toString('hex')}`);
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), redirect: 'follow' });
      if (!res.ok || !res.body) return fail('DOWNLOAD_FAILED', `download failed: HTTP ${res.status} from ${url.host}`);
      const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
        if (bytes > MAX_DOWNLOAD_BYTES) body.destroy(new Error(`larger than ${MAX_DOWNLOAD_BYTES} bytes`));
      });
      await pipeline(body, createWriteStream(temp, { mode: 0o600 }));
    } catch (error) {
      return fail('DOWNLOAD_FAILED', `download from ${url.host} failed: ${(error as Error).message}`);
    }
    const digest = hash.digest('hex');
    if (digest !== spec.sha256.toLowerCase()) {
      return fail('HASH_MISMATCH', `the download's sha256 is ${digest}, not the pinned ${spec.sha256.toLowerCase()}; nothing was installed`);
    }
    const type = archiveType(spec, fileName);
    if (spec.extract === false || (!type && spec.extract !== true)) {
      const dest = join(target, fileName);
      renameSync(temp, dest);
      return { ok: true, message: `Downloaded ${fileName} to ${target}`, stdout: `downloaded=${bytes}`, stderr: '', code: 0 };
    }
    if (type !== 'tar' && type !== 'tar.gz') return fail('UNSUPPORTED', `cannot unpack ${type ?? 'this'} archives; use a .tar.gz or .tar download`);
    const strip = spec.stripComponents ?? 0;
    let problem: string | undefined;
    try {
      problem = await unsafeEntry(temp, target, strip);
    } catch (error) {
      return fail('UNSAFE_ARCHIVE', `the archive cannot be read: ${(error as Error).message}`);
    }
    if (problem) return fail('UNSAFE_ARCHIVE', `refused to unpack: ${problem}; nothing was installed`);
    await tar.x({ file: temp, cwd: target, strip, preservePaths: false, noChmod: false });
    return { ok: true, message: `Downloaded and unpacked ${fileName} into ${target}`, stdout: `downloaded=${bytes}`, stderr: '', code: 0 };
  } finally {
    rmSync(temp, { force: true });
  }
}
