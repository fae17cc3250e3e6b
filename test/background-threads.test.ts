/**
 * The threads a screening runs beside its critical path lower their own priority, so that on two
 * cores the threads the screening waits for (its own, party linking's names, the rules) keep theirs:
 * the checkpointer and the hashing of the inputs (the reader of party references: read-beside.test).
 */
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../src/db/sqlite/checkpointer.ts';
import { sha256Files } from '../src/util/hash-files.ts';
import { sha256File } from '../src/util/hash.ts';
import { tempDir } from './helpers/mini-input.ts';
import { backgroundThreads, canSeeBackgroundNice, newBackgroundThread, waitFor } from './helpers/thread-nice.ts';

describe.runIf(canSeeBackgroundNice())('threads beside the screening', () => {
  it('the checkpointer copies the log into the database at a lower priority', async () => {
    const path = join(tempDir(), 'checkpoint.sqlite');
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('wal_autocheckpoint = 0');
    raw.exec('CREATE TABLE t (k integer PRIMARY KEY, v text)');
    raw.exec('WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < 2000) INSERT INTO t SELECT k, hex(randomblob(64)) FROM c');
    const sizeBefore = statSync(path).size;
    const before = backgroundThreads();
    const checkpointer = startCheckpointer(path, 1_000);
    try {
      checkpointer.request();
      await checkpointer.idle();
      // It ran: the rows written to the log are in the database file now.
      expect(statSync(path).size).toBeGreaterThan(sizeBefore + 100_000);
      expect(newBackgroundThread(before)).toBe(true);
    } finally {
      await checkpointer.close();
      raw.close();
    }
  });

  it('the inputs are hashed at a lower priority when asked to run in the background, to the same hashes', async () => {
    const dir = tempDir();
    // Sparse: 256 MB of zeros that take no disk, and long enough to hash that the thread is seen.
    const paths = ['a.bin', 'b.bin'].map((name) => join(dir, name));
    for (const p of paths) writeFileSync(p, '');
    truncateSync(paths[0]!, 256 * 1024 * 1024);
    const before = backgroundThreads();
    const hashing = sha256Files(paths, [256 * 1024 * 1024, 0], { threadsFromBytes: 0, maxThreads: 1, background: true });
    let settled = false;
    hashing.finally(() => { settled = true; }).catch(() => undefined); // a failure fails the await below
    let seen = false;
    await waitFor(() => (seen ||= newBackgroundThread(before)) || settled);
    expect(seen).toBe(true);
    expect(await hashing).toEqual([await sha256File(paths[0]!), await sha256File(paths[1]!)]);
  });
});
