/**
 * Read-only queries on a second connection, on a worker thread, while the screening's thread goes on
 * writing: in WAL mode the second connection reads what was last committed, however much the writer
 * has written since. The screen uses it for checks that read only committed tables and whose findings
 * it applies later itself (the party references, beside party linking: at 10M units 13-14.5 s on the
 * screening's thread, while party linking left the other core idle for some 70 s). The thread runs
 * at a lower priority (`background-priority.mjs`): party linking's name thread, which the screening's
 * thread waits for, wants that core too, and nothing waits for these queries until the stage after.
 */
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';

export interface ReadBeside {
  /** Each query's rows as objects, in the order the queries were given. */
  readonly rows: Promise<Record<string, unknown>[][]>;
  /** Ends the thread (a screening that fails does not wait for its queries). */
  stop(): Promise<void>;
}

export function readBeside(path: string, busyTimeoutMs: number, queries: readonly CompiledQuery[]): ReadBeside {
  const worker = new Worker(new URL('./read-beside-worker.mjs', import.meta.url), {
    workerData: { path, busyTimeoutMs, queries: queries.map((q) => ({ sql: q.sql, parameters: q.parameters })) },
  });
  const rows = new Promise<Record<string, unknown>[][]>((resolve, reject) => {
    worker.once('message', (m: { ok: true; rows: Record<string, unknown>[][] } | { ok: false; message: string }) => {
      if (m.ok) resolve(m.rows);
      else reject(new Error(m.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the reading thread ended (exit code ${code})`)));
  });
  // Awaited by the caller later, or never (a screening that failed meanwhile): never unhandled.
  rows.catch(() => undefined);
  return { rows, stop: async () => { await worker.terminate(); } };
}
