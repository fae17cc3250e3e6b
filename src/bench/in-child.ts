/**
 * The bench's steps before the screen, each in a child process of its own: the input's generation
 * and zipping (prepare-input.ts) and the reader's figures (measure-reader.ts). The screen then runs in
 * a process that has done nothing else yet, as `vib screen` does, and neither its time nor its peak
 * RSS carries what a step before it left behind (the generator's heap, memory its buffers touched).
 *
 * A child is this process's Node.js with its flags; its arguments go to it as JSON on stdin, and its
 * answer comes back as JSON on the last line of its stdout that starts with {@link MARK}. Whatever else
 * the child prints there (V8's `--trace-gc` lines, which come after the answer, from the flags it was
 * given as this process was) is passed on to this process's stderr.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { InputError } from '../util/input-error.ts';

type Answer<T> = { ok: T } | { error: string; input: boolean };

/** What starts the child's answer line. */
const MARK = 'vib-bench-child-answer ';

/** This process's Node.js flags, with tsx's loader (the entries are TypeScript) where they lack it. */
function childFlags(): string[] {
  const flags = process.execArgv;
  return flags.some((f) => f === 'tsx' || f.startsWith('--import=tsx') || f.includes('/tsx/')) ? flags : [...flags, '--import', 'tsx'];
}

/**
 * Runs `entry` (a file that calls {@link answerParent}) on `args` and returns its answer. A failure
 * there is an error here that says `what` failed and the child's message: an InputError (wrong
 * arguments, a folder the bench cannot use) stays one.
 */
export function runInChild<T>(entry: string, args: unknown, what: string): T {
  const child = spawnSync(process.execPath, [...childFlags(), entry], {
    input: JSON.stringify(args),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = (child.stdout?.toString() ?? '').split('\n');
  let at = lines.length - 1;
  while (at >= 0 && !lines[at]!.startsWith(MARK)) at--;
  const rest = lines.filter((l, i) => i !== at && l !== '');
  if (rest.length) process.stderr.write(`${rest.join('\n')}\n`);
  let answer: Answer<T> | null = null;
  try {
    answer = at >= 0 ? (JSON.parse(lines[at]!.slice(MARK.length)) as Answer<T>) : null;
  } catch {
    answer = null;
  }
  if (child.status === 0 && answer && 'ok' in answer) return answer.ok;
  if (answer && 'error' in answer && answer.input) throw new InputError(answer.error);
  const why = (answer && 'error' in answer ? answer.error : null) ?? child.error?.message ?? `the child ended with ${child.status === null ? `signal ${child.signal}` : `exit code ${child.status}`}`;
  throw new Error(`the bench's ${what} failed: ${why}`);
}

/** The child's side of {@link runInChild}: reads the arguments from stdin, runs `fn` on them, prints its answer. */
export async function answerParent<A, T>(fn: (args: A) => Promise<T> | T): Promise<void> {
  let answer: Answer<T>;
  try {
    answer = { ok: await fn(JSON.parse(readFileSync(0, 'utf8')) as A) };
  } catch (err) {
    answer = { error: err instanceof Error ? err.message : String(err), input: err instanceof InputError };
    process.exitCode = 1;
  }
  process.stdout.write(`\n${MARK}${JSON.stringify(answer)}\n`);
}
