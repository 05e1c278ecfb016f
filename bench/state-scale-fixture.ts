// Generates a large state dir in upstream's layout for bench/state-scale.ts: agents/main/sessions/
// sessions.json with `sessions` entries, one <sessionId>.jsonl of `messages` messages each, and one
// session whose transcript is `bigTranscriptMb` MB. Transcripts share one pre-built body (only the
// header differs), so generation is bound by the disk, not by JSON.stringify.
import { mkdirSync, openSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface FixtureOptions {
  readonly sessions: number;
  readonly messages: number;
  readonly bigTranscriptMb: number;
}

export interface Fixture {
  readonly sessionsDir: string;
  readonly bigKey: string;
  readonly indexBytes: number;
  readonly transcriptBytes: number;
}

const TEXT = 'The quick brown fox jumps over the lazy dog while the gateway keeps every session in order. ';

function messageLine(i: number, role: 'user' | 'assistant', ts: number): string {
  return `${JSON.stringify({
    type: 'message',
    id: `m${i.toString(16).padStart(7, '0')}`,
    parentId: i === 0 ? null : `m${(i - 1).toString(16).padStart(7, '0')}`,
    timestamp: new Date(ts).toISOString(),
    message: { role, content: [{ type: 'text', text: `${i}: ${TEXT.repeat(5)}` }], timestamp: ts },
  })}\n`;
}

const sessionId = (i: number): string => `0000${i.toString(16).padStart(8, '0')}-bench-4000-8000-000000000000`;

export function generateState(stateDir: string, options: FixtureOptions): Fixture {
  const sessionsDir = join(stateDir, 'agents', 'main', 'sessions');
  mkdirSync(sessionsDir, { recursive: true });
  const base = Date.UTC(2026, 0, 1);
  let body = '';
  for (let m = 0; m < options.messages; m++) body += messageLine(m, m % 2 === 0 ? 'user' : 'assistant', base + m * 1000);
  const bodyBuffer = Buffer.from(body);
  let transcriptBytes = 0;
  const index: string[] = [];
  for (let i = 0; i < options.sessions; i++) {
    const id = sessionId(i);
    const key = `agent:main:bench-${i}`;
    const file = join(sessionsDir, `${id}.jsonl`);
    const header = Buffer.from(`{"type":"session","version":3,"id":"${id}","timestamp":"2026-01-01T00:00:00.000Z","cwd":"/tmp","sessionKey":"${key}"}\n`);
    const fd = openSync(file, 'w', 0o600);
    writeSync(fd, header);
    writeSync(fd, bodyBuffer);
    closeSync(fd);
    transcriptBytes += header.length + bodyBuffer.length;
    // A scattered updatedAt, so the newest page is not simply the file's first or last entries.
    const updatedAt = base + ((i * 7919) % options.sessions) * 1000;
    index.push(
      `  ${JSON.stringify(key)}: ${JSON.stringify({ sessionId: id, updatedAt, createdAt: base, sessionFile: file, label: `bench ${i}`, model: 'bench-model', modelProvider: 'bench', inputTokens: 1200, outputTokens: 800, totalTokens: 2000, status: 'done', lastMessagePreview: TEXT })}`,
    );
  }
  const bigKey = 'agent:main:bench-big';
  const bigId = sessionId(options.sessions);
  const bigFile = join(sessionsDir, `${bigId}.jsonl`);
  const fd = openSync(bigFile, 'w', 0o600);
  writeSync(fd, `{"type":"session","version":3,"id":"${bigId}","timestamp":"2026-01-01T00:00:00.000Z","cwd":"/tmp","sessionKey":"${bigKey}"}\n`);
  const target = options.bigTranscriptMb * 1024 * 1024;
  let written = 0;
  for (let m = 0; written < target; ) {
    let block = '';
    for (let k = 0; k < 1000; k++, m++) block += messageLine(m, m % 2 === 0 ? 'user' : 'assistant', base + m * 1000);
    written += writeSync(fd, block);
  }
  closeSync(fd);
  transcriptBytes += written;
  index.push(`  ${JSON.stringify(bigKey)}: ${JSON.stringify({ sessionId: bigId, updatedAt: base - 1, createdAt: base, sessionFile: bigFile, label: 'big transcript' })}`);
  const json = `{\n${index.join(',\n')}\n}\n`;
  writeFileSync(join(sessionsDir, 'sessions.json'), json, { mode: 0o600 });
  return { sessionsDir, bigKey, indexBytes: Buffer.byteLength(json), transcriptBytes };
}
