/**
 * First-phase rules on a second thread: each is one set-based query over the run, and none reads
 * another's hits, so while the screening's thread evaluates one rule a worker thread, with a
 * connection of its own, evaluates another, on the core the screening otherwise leaves idle. Both
 * threads take the next rule from one shared counter (a query blocks its thread, so the worker must
 * not wait for the screening's thread to hand it work). Only where the run's rows are committed
 * before the rules (SQLite's staged commits): PostgreSQL's run is one transaction, which a second
 * connection cannot see. The register does not depend on which thread evaluated a rule: the hits are
 * the same query's, and the screen collects them in the catalogue's order.
 */
import { Worker } from 'node:worker_threads';
import type { RuleHit } from './define-rule.ts';
import type { RuleJob, RuleThreadMessage } from './rule-worker.ts';

export type { RuleJob };
export interface RuleThreadResult { hits: RuleHit[]; seconds: number; cpuSeconds: number | null }

export interface RuleThread {
  /**
   * Evaluates `jobs[i]` for every i the thread takes from `next` (an Int32Array over shared memory,
   * advanced with Atomics.add by every thread that evaluates these jobs) until none is left; resolves
   * with the results it evaluated, by index.
   */
  evaluate(jobs: RuleJob[], next: Int32Array): Promise<Map<number, RuleThreadResult>>;
  close(): Promise<void>;
}

/**
 * Starts the thread on the database file `path`; it boots (tsx, the catalogue) meanwhile. `cacheMb`:
 * its page cache, which adds to the peak memory while the rules run.
 */
export function startRuleThread(path: string, busyTimeoutMs: number, cacheMb: number): RuleThread {
  const worker = new Worker(new URL('./rule-worker-boot.mjs', import.meta.url), { workerData: { path, busyTimeoutMs, cacheMb } });
  let batch: { results: Map<number, RuleThreadResult>; resolve: (r: Map<number, RuleThreadResult>) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    batch?.reject(failure);
    batch = null;
  };
  worker.on('message', (m: RuleThreadMessage) => {
    if (!batch) return;
    if (m.kind === 'result') batch.results.set(m.index, { hits: m.hits, seconds: m.seconds, cpuSeconds: m.cpuSeconds });
    else if (m.kind === 'done') { batch.resolve(batch.results); batch = null; } else fail(new Error(m.message));
  });
  worker.on('error', (err) => fail(err));
  worker.on('exit', () => fail(new Error('the rule thread stopped')));
  return {
    evaluate(jobs, next) {
      if (failure) return Promise.reject(failure);
      if (batch) return Promise.reject(new Error('the rule thread evaluates one batch at a time'));
      return new Promise((resolve, reject) => {
        batch = { results: new Map(), resolve, reject };
        worker.postMessage({ jobs, next: next.buffer });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
