// The checkpointer's thread (see checkpointer.ts): a connection of its own to the database, which
// copies the committed pages of the write-ahead log into the database file when asked. Plain
// JavaScript, so the thread starts without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { lowerThreadPriority } from '../../util/background-priority.mjs';

// Nothing waits for a checkpoint until the screening's last commit, while the screening's own thread
// and the threads it waits for (party linking's names, the rules) run beside it.
lowerThreadPriority();

const db = new BetterSqlite3(workerData.path);
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
parentPort.on('message', () => {
  try {
    // PASSIVE: copies what it can without waiting for, or blocking, the screening's writer or any reader.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, result });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.on('close', () => db.close());
