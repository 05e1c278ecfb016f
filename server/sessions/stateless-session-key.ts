// The key shape of sessions the OpenAI layer creates for requests that name no session:
// `agent:<id>:openai:<uuid>` (chat completions) and `agent:<id>:openresponses:<uuid>` (responses).
// The HTTP layer prunes them; the usage ledger folds them into one bucket per agent and kind.

export type StatelessSessionKind = 'openai' | 'openresponses';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const STATELESS_KEY = new RegExp(`^(agent:[^:]+:(openai|openresponses)):${UUID}$`);

/** The kind of a key the OpenAI layer generated for a request without a session, else undefined. */
export function statelessSessionKind(key: string): StatelessSessionKind | undefined {
  return STATELESS_KEY.exec(key)?.[2] as StatelessSessionKind | undefined;
}

/** `agent:<id>:<kind>:*` for a stateless key (one per agent and kind), else the key itself. */
export function statelessBucketKey(key: string): string {
  const match = STATELESS_KEY.exec(key);
  return match ? `${match[1]}:*` : key;
}
