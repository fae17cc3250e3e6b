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

/**
 * Options for a reader thread: a young generation of VIB_READER_YOUNG_MB (default 96 MB; V8's own
 * default is 48 at most, 16 MB per semi-space). Readers make many short-lived objects (records,
 * texts, batches); with the small default V8 scavenged so often that it copied the same live
 * batches again and again, on helper threads that took the cores from the parsing itself.
 * Measured reading the BAG of 1M units (2.5M records, 3.6 GB): 29 s and 55 s of CPU with the
 * default, 24 s and 46 s with 96 MB, 23 s and 44 s with 192 MB (the first step is the gain).
 */
export function readerThreadOptions(): { resourceLimits: { maxYoungGenerationSizeMb: number } } | Record<string, never> {
  const env = Number(process.env.VIB_READER_YOUNG_MB ?? 96);
  return Number.isFinite(env) && env > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: env } } : {};
}
