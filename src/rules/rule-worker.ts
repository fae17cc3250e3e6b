/**
 * The rule thread (see rule-thread.ts): evaluates first-phase rules on a connection of its own, which
 * reads what the screening's stages committed. It only reads (`query_only`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sql } from 'kysely';
import { openSqlite } from '../db/sqlite/sqlite-engine.ts';
import { threadCpuSeconds, threadCpuSince } from '../util/thread-cpu.ts';
import { catalogue } from './catalogue.ts';
import type { RuleHit } from './define-rule.ts';

export interface RuleJob { ruleId: string; params: Record<string, unknown>; runKey: number; peildatum: string }
/** Jobs for the thread, and the shared counter both threads take the next job's index from. */
export interface RuleBatch { jobs: RuleJob[]; next: SharedArrayBuffer }
export type RuleThreadMessage =
  | { kind: 'result'; index: number; hits: RuleHit[]; seconds: number; cpuSeconds: number | null }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

const { path, busyTimeoutMs, cacheMb } = workerData as { path: string; busyTimeoutMs: number; cacheMb: number };
// The engine's own connection settings (WAL, temporary files, the cache), and only reading.
const { db } = openSqlite(path, { busyTimeoutMs, cacheMb });
await sql`PRAGMA query_only = 1`.execute(db);

async function evaluate(batch: RuleBatch): Promise<void> {
  const next = new Int32Array(batch.next);
  for (let i = Atomics.add(next, 0, 1); i < batch.jobs.length; i = Atomics.add(next, 0, 1)) {
    const job = batch.jobs[i]!;
    const rule = catalogue.find((r) => r.id === job.ruleId);
    if (!rule) throw new Error(`unknown rule ${job.ruleId}`);
    const started = performance.now();
    const cpu = threadCpuSeconds();
    const hits = await rule.evaluate({ db, runKey: job.runKey, peildatum: job.peildatum, params: job.params, earlierHits: new Map() });
    parentPort!.postMessage({ kind: 'result', index: i, hits, seconds: (performance.now() - started) / 1000, cpuSeconds: threadCpuSince(cpu) } satisfies RuleThreadMessage);
  }
}

parentPort!.on('message', (batch: RuleBatch) => {
  evaluate(batch).then(
    () => parentPort!.postMessage({ kind: 'done' } satisfies RuleThreadMessage),
    (err: unknown) => parentPort!.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies RuleThreadMessage),
  );
});
