/** The command line is wrong or incomplete: exit code 2, and one line on stderr saying why. */
export class DlqUsageError extends Error {
  /** Exit code of a usage error. */
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'DlqUsageError';
  }
}
