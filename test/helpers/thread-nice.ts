/**
 * The nice values of this process's threads (Linux, where they are per thread), for tests of the
 * threads that lower their own priority (`background-priority.mjs`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { BACKGROUND_NICE } from '../../src/util/background-priority.mjs';
import { statFields } from '../../src/util/thread-cpu.ts';

/** The nice value in a /proc stat line: field 19 of proc(5). */
const niceOf = (stat: string) => Number(statFields(stat)[16]);

/**
 * Whether a background thread can be told apart here: on Linux, unless this thread runs at the
 * background's priority or lower already (a suite run niced), when the difference cannot show.
 */
export function canSeeBackgroundNice(): boolean {
  return process.platform === 'linux' && niceOf(readFileSync('/proc/thread-self/stat', 'latin1')) < BACKGROUND_NICE;
}

/** Polls until `until` is true or about five seconds have passed (then the caller's expect fails). */
export async function waitFor(until: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !until(); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** The ids of this process's threads that run at the background's priority. */
export function backgroundThreads(): Set<string> {
  // A thread that ends meanwhile is left out.
  return new Set(readdirSync('/proc/self/task').filter((t) => {
    try { return niceOf(readFileSync(`/proc/self/task/${t}/stat`, 'latin1')) === BACKGROUND_NICE; } catch { return false; }
  }));
}

/** Whether a thread at the background's priority that was not there before is there now. */
export function newBackgroundThread(before: ReadonlySet<string>): boolean {
  return [...backgroundThreads()].some((t) => !before.has(t));
}
