/**
 * The file-system errors a person can act on (a full disk, a read-only or misnamed path), in one line
 * for a command's user: the CLI and the bench print it instead of a stack trace.
 */
const WHY = new Map<unknown, string>([
  ['ENOSPC', 'the disk is full'],
  ['ENOTDIR', 'a part of the path is a file, not a folder'],
  ['EACCES', 'permission denied or read-only'],
  ['EROFS', 'permission denied or read-only'],
  ['EPERM', 'permission denied or read-only'],
]);

/** Why such an error could not write, in words; null for any other error. */
export function whyCannotWrite(err: unknown): string | null {
  const e = err as { code?: unknown; syscall?: unknown } | null;
  // A folder asked for where a file is (mkdir with `recursive` says EEXIST of the path itself).
  if (e?.code === 'EEXIST' && e.syscall === 'mkdir') return 'it is a file, not a folder';
  return WHY.get(e?.code) ?? null;
}

/** `cannot write PATH: WHY` for such an error (the path the error names); null for any other. */
export function writeFailure(err: unknown): string | null {
  const why = whyCannotWrite(err);
  if (why === null) return null;
  const path = (err as { path?: unknown }).path;
  return `cannot write ${typeof path === 'string' ? path : 'output'}: ${why}`;
}
