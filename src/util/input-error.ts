/**
 * An error in the input that a person must fix (a missing file or column, a file that is not what
 * its name says). The CLI prints its message without a stack trace and exits with code 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}
