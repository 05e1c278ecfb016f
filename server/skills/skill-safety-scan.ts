// Looks through a skill's files for what an install should not run blindly: a download piped into
// a shell, base64-decoded code handed to a shell or eval, and writes outside the skill's folder
// (system paths, shell start-up files, SSH keys). Findings refuse an install unless it is forced.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface SafetyFinding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly excerpt: string;
}

const RULES: readonly { readonly rule: string; readonly pattern: RegExp }[] = [
  { rule: 'pipes a download into a shell', pattern: /\b(?:curl|wget|fetch)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b/ },
  { rule: 'pipes a download into an interpreter', pattern: /\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:python3?|perl|ruby|node)\b/ },
  { rule: 'runs base64-decoded code', pattern: /base64\s+(?:-d|--decode|-D)\b[^\n]*\|\s*(?:ba|z)?sh\b|\|\s*base64\s+(?:-d|--decode)[^\n]*\|\s*(?:ba|z)?sh\b/ },
  { rule: 'evaluates decoded or downloaded code', pattern: /\beval\s*[("]*\s*\$\((?:[^)]*\b(?:base64|curl|wget)\b)/ },
  { rule: 'decodes and executes in-process', pattern: /\b(?:exec|eval)\s*\(\s*(?:base64\.b64decode|atob|Buffer\.from\([^)]*base64)/ },
  { rule: 'writes to a system path', pattern: /(?:>>?|\btee\b(?:\s+-a)?|\bcp\b[^\n]*|\bmv\b[^\n]*)\s+\/(?:etc|usr|bin|sbin|boot|lib|lib64|var|root|opt|System|Library)\// },
  { rule: 'changes shell start-up files', pattern: /(?:>>?|\btee\b(?:\s+-a)?)\s*(?:~|\$HOME|\$\{HOME\})\/\.(?:bashrc|zshrc|profile|bash_profile|zprofile|config\/fish)/ },
  { rule: 'touches SSH keys', pattern: /(?:~|\$HOME|\$\{HOME\})\/\.ssh\b/ },
  { rule: 'deletes outside its folder', pattern: /\brm\s+-[a-zA-Z]*[rf][a-zA-Z]*\s+(?:\/(?:\s|$|\*)|~\/?(?:\s|$)|\$HOME\/?(?:\s|$))/ },
];

const MAX_FILES = 300;
const MAX_FILE_BYTES = 512 * 1024;
const MAX_DEPTH = 4;

export function scanSkill(baseDir: string): SafetyFinding[] {
  const findings: SafetyFinding[] = [];
  let files = 0;
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (files >= MAX_FILES) return;
      if (name === 'node_modules' || name === '.git') continue;
      const path = join(dir, name);
      let stat;
      try {
        stat = lstatSync(path);
      } catch {
        continue;
      }
      if (stat.isSymbolicLink()) {
        findings.push({ file: relative(baseDir, path), line: 0, rule: 'symbolic link (may point outside the skill)', excerpt: name });
        continue;
      }
      if (stat.isDirectory()) {
        if (depth < MAX_DEPTH) walk(path, depth + 1);
        continue;
      }
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
      files++;
      const buffer = readFileSync(path);
      if (buffer.subarray(0, 8000).includes(0)) continue; // binary
      const lines = buffer.toString('utf8').split('\n');
      lines.forEach((text, i) => {
        for (const { rule, pattern } of RULES) {
          if (pattern.test(text)) findings.push({ file: relative(baseDir, path), line: i + 1, rule, excerpt: text.trim().slice(0, 160) });
        }
      });
    }
  };
  walk(baseDir, 0);
  return findings;
}

export const describeFinding = (f: SafetyFinding): string => `${f.file}${f.line ? `:${f.line}` : ''}: ${f.rule} (${f.excerpt})`;
