import { availableParallelism } from 'node:os';

/**
 * Reader threads (BAG parsing, CSV validation): VIB_PARSE_WORKERS, else one per core. 0: read on the
 * main thread (and party linking normalises names there too, instead of on a thread of its own). One per core although the main thread inserts meanwhile: measured at 100k units on two
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
 * default is 48 at most, 16 MB per semi-space; 0 leaves V8's). Readers make many short-lived objects
 * (records, texts, batches); with the small default V8 scavenges more often and copies the batches
 * still being filled, on helper threads that take the cores from the parsing itself. Reading the BAG
 * of 1M units (2.5M records, 3.6 GB), runs interleaved: 25.4-27.1 s with V8's default, 23.3-24.7 s
 * with 96 MB, 192 MB no better. The CSV reader threads showed no change in time either way, nor
 * less memory with V8's default: at 1M units, two rounds alternating, load-csv peaked at 1,327 and
 * 1,278 MB with it against 1,195 and 1,277 with 96 MB (forty-first session).
 */
export function readerThreadOptions(): { resourceLimits: { maxYoungGenerationSizeMb: number } } | Record<string, never> {
  const env = Number(process.env.VIB_READER_YOUNG_MB ?? 96);
  return Number.isFinite(env) && env > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: env } } : {};
}
