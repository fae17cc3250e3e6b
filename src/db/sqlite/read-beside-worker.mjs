// The thread of read-beside.ts: runs read-only queries on a connection of its own, in one read
// transaction, posts their rows and ends. Plain JavaScript, so it starts without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { lowerThreadPriority } from '../../util/background-priority.mjs';

// Nothing waits for these queries until the stage after the one they run beside.
lowerThreadPriority();

const { path, busyTimeoutMs, queries } = workerData;
let db;
try {
  db = new BetterSqlite3(path);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('query_only = 1');
  // One snapshot for all the queries: what was committed when the first began.
  const rows = db.transaction(() => queries.map((q) => db.prepare(q.sql).all(...q.parameters)))();
  parentPort.postMessage({ ok: true, rows });
} catch (err) {
  parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
} finally {
  db?.close();
}
