/** A thrown value as log text. Never String() an unknown value: `{toString: 1}` throws when made a string. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return `non-Error value of type ${error === null ? 'null' : typeof error}`;
}
