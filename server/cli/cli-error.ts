/** A CLI failure the user can act on: printed as one line (no stack), with its exit code (2 = usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
