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
import { startTypescriptWorker } from '../util/typescript-worker.ts';
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
  const worker = startTypescriptWorker(new URL('./rule-worker.ts', import.meta.url), { workerData: { path, busyTimeoutMs, cacheMb } });
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

/**
 * Rules evaluated on this thread and the rule thread side by side, each taking the next from one
 * shared counter; the hits come back in `ready`'s order, whichever thread found them. `jobOf` is what
 * the rule thread needs of a rule; `timed` records a rule the rule thread evaluated (its own wall
 * clock and CPU). This thread does `first` before it takes a rule: the rule thread has them all to
 * itself meanwhile.
 */
export async function sideBySide<R>(ready: readonly R[], thread: RuleThread, jobOf: (r: R) => RuleJob,
  evaluate: (r: R) => Promise<RuleHit[]>, timed: (r: R, t: RuleThreadResult) => void, first: () => Promise<void>): Promise<RuleHit[][]> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const found: RuleHit[][] = new Array(ready.length);
  const there = thread.evaluate(ready.map(jobOf), next);
  // Should `first` fail, the rule thread takes no further rule and its answer is awaited still (its
  // own failure dropped): no promise is left to reject unheard, and the caller closes the thread.
  try {
    await first();
  } catch (err) {
    Atomics.store(next, 0, ready.length);
    await there.catch(() => undefined);
    throw err;
  }
  let taken = 0;
  for (let i = Atomics.add(next, 0, 1); i < ready.length; i = Atomics.add(next, 0, 1), taken++) found[i] = await evaluate(ready[i]!);
  // The counter hands out each index once: where this thread took every rule, the rule thread took
  // none and never will (the counter is past the end), so its answer is not waited for. On a small
  // input the rules are done before the thread has booted (tsx, the catalogue: about a second, which
  // every screen of the demo waited for); it is closed, booted or not, after the rules.
  if (taken === ready.length) {
    there.catch(() => undefined);
    return found;
  }
  for (const [i, t] of await there) { found[i] = t.hits; timed(ready[i]!, t); }
  return found;
}
