// Wires skills into one gateway: the service, the skill_read tool, the prompt section listing the
// eligible skills (name, description, where to read it) and the skills part of `health`.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { SkillsService } from './skills-service.js';

const MAX_PROMPT_SKILLS = 50;
const MAX_DESCRIPTION_CHARS = 300;
const MAX_SKILL_READ_CHARS = 64 * 1024;

export function createSkillsService(rt: GatewayRuntime, runtime: AgentRuntime): SkillsService {
  const skills = new SkillsService(rt, runtime.agents);

  runtime.tools.register({
    name: 'skill_read',
    label: 'Read a skill',
    group: 'skills',
    description: "Reads a skill's SKILL.md (its instructions) by name. Read a skill before doing a task it covers.",
    parameters: z.strictObject({ name: z.string().min(1).max(256).describe('The skill name, as listed in the prompt.') }),
    run: (args, ctx) => {
      const entry = skills.entry(ctx.agentId, args.name);
      const status = entry ? skills.status(ctx.agentId).skills.find((s) => s.name === entry.name) : undefined;
      if (!entry || !status) throw new Error(`no skill named "${args.name}"`);
      if (!status.eligible) throw new Error(`skill "${entry.name}" is not usable here (disabled, not allowed, or missing what it needs)`);
      const text = readFileSync(entry.filePath, 'utf8');
      return { name: entry.name, path: entry.filePath, baseDir: entry.baseDir, content: text.length > MAX_SKILL_READ_CHARS ? `${text.slice(0, MAX_SKILL_READ_CHARS)}\n…(truncated)` : text };
    },
  });

  runtime.promptSections.register('skills', ({ agentId }) => {
    const eligible = skills.eligible(agentId).slice(0, MAX_PROMPT_SKILLS);
    if (eligible.length === 0) return undefined;
    const lines = eligible.map((s) => {
      const description = s.description.length > MAX_DESCRIPTION_CHARS ? `${s.description.slice(0, MAX_DESCRIPTION_CHARS)}…` : s.description;
      return `- ${s.name}: ${description || '(no description)'} (read: ${s.filePath})`;
    });
    return ['# Skills', 'Skills hold instructions for particular tasks. When a task matches a skill, read its SKILL.md first with skill_read (by name), then follow it.', '<available_skills>', ...lines, '</available_skills>'].join('\n');
  });

  rt.health.extend({ skills: () => skills.health() });
  return skills;
}
