/**
 * CPU seconds the calling thread has used, where the OS says (Linux: `/proc/thread-self/stat`), else
 * null. Node.js 20 has no clock for one thread (`process.threadCpuUsage` came in 23.9), and
 * `process.cpuUsage` counts every thread of the process. The screen's stages are timed with it on
 * the thread that holds the database connection: what that thread alone spends shows whether a
 * stage waits for it or for the reader threads (sampled with perf over a 1M screen, it used 64.7 s
 * of the process's 135 s of CPU).
 */
import { readFileSync } from 'node:fs';

/** Linux reports times in /proc in ticks of USER_HZ, 100 a second on every architecture. */
const USER_HZ = 100;

/**
 * The fields of a `/proc/.../stat` line after the command name (which may hold spaces and
 * parentheses): index 0 is the state (field 3 of proc(5)), so field f of proc(5) is index f - 3.
 */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export function threadCpuSeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'latin1');
  } catch {
    return null;
  }
  // utime and stime: fields 14 and 15 of proc(5).
  const fields = statFields(stat);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : null;
}

/** The calling thread's CPU seconds since `start` (a {@link threadCpuSeconds} reading), to the hundredth; null when either is unknown. */
export function threadCpuSince(start: number | null): number | null {
  const now = threadCpuSeconds();
  return start === null || now === null ? null : Number((now - start).toFixed(2));
}
