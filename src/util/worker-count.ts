import { availableParallelism } from 'node:os';

/** Reader threads (BAG parsing, CSV validation): VIB_PARSE_WORKERS, else one less than the cores (at least one). 0: read on the main thread. */
export function workerCount(): number {
  const env = Number(process.env.VIB_PARSE_WORKERS);
  if (Number.isInteger(env) && env >= 0) return env;
  return Math.max(1, availableParallelism() - 1);
}
