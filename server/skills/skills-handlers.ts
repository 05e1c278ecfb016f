// skills.status / bins / install / update bound to the skills service.
import type { SkillsHandlers } from '../../generated/server/handlers.js';
import type { ConfigStore } from '../config/config-store.js';
import { updateSkillEntry } from './skill-config-update.js';
import type { SkillsService } from './skills-service.js';

export function createSkillsHandlers(skills: SkillsService, config: ConfigStore): SkillsHandlers {
  return {
    'skills.status': (params) => skills.status(params.agentId),
    'skills.bins': () => ({ bins: skills.bins() }),
    'skills.install': (params, ctx) => skills.install(params, ctx.signal),
    'skills.update': (params) => updateSkillEntry(config, params),
  };
}
