// Thinking levels (how hard a reasoning model should think) and how they reach the wire. The
// levels are the ones OpenClaw uses for `thinking` / `thinkingLevel` / `thinkingDefault`.

export const THINKING_LEVELS = ['off', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ThinkingLevel = (typeof THINKING_LEVELS)[number];

/** OpenAI Chat Completions `reasoning_effort` values. */
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

const LEVELS: ReadonlySet<string> = new Set(THINKING_LEVELS);

/** The level a string names (trimmed, any case), or undefined when it names none. */
export function parseThinkingLevel(raw: string): ThinkingLevel | undefined {
  const level = raw.trim().toLowerCase();
  return LEVELS.has(level) ? (level as ThinkingLevel) : undefined;
}

/** `reasoning_effort` for a level: `off` sends none, `xhigh` is the highest effort the API has. */
export function reasoningEffortOf(level: ThinkingLevel): ReasoningEffort | undefined {
  if (level === 'off') return undefined;
  if (level === 'xhigh') return 'high';
  return level;
}
