import { availableParallelism } from 'node:os';

/**
 * Reader threads (BAG parsing, CSV validation): VIB_PARSE_WORKERS, else one per core. 0: read on the
 * main thread. One per core although the main thread inserts meanwhile: measured at 100k units on two
 * cores, two BAG reader threads loaded in 5.5 s where one took 6.7 s (the main thread waits on the
 * reader more often than the reader waits on it).
 */
export function workerCount(): number {
  const env = Number(process.env.VIB_PARSE_WORKERS);
  if (Number.isInteger(env) && env >= 0) return env;
  return Math.max(1, availableParallelism());
}
