import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql, Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { readBeside } from '../src/db/sqlite/read-beside.ts';
import { tempDir } from './helpers/mini-input.ts';
import { backgroundThreads, canSeeBackgroundNice, newBackgroundThread, waitFor } from './helpers/thread-nice.ts';

describe('readBeside', () => {
  it('reads what is committed, not what the writer has written since, with the queries parameters bound', async () => {
    const path = join(tempDir(), 'beside.sqlite');
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE t (k integer PRIMARY KEY, v text); INSERT INTO t VALUES (1, \'a\'), (2, \'b\'), (3, \'c\')');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    // Rows written and not committed: the other connection does not see them.
    raw.exec('BEGIN; INSERT INTO t VALUES (4, \'d\'); DELETE FROM t WHERE k = 1');
    const beside = readBeside(path, 1_000, [sql`SELECT k, v FROM t WHERE k >= ${2} ORDER BY k`.compile(db), sql`SELECT count(*) AS n FROM t`.compile(db)]);
    expect(await beside.rows).toEqual([[{ k: 2, v: 'b' }, { k: 3, v: 'c' }], [{ n: 3 }]]);
    raw.exec('COMMIT');
    // Only reading: a write is refused, and the refusal is the answer.
    await expect(readBeside(path, 1_000, [sql`DELETE FROM t RETURNING k`.compile(db)]).rows).rejects.toThrow(/readonly|read-only|query_only/i);
    await expect(readBeside(path, 1_000, [sql`SELECT * FROM missing`.compile(db)]).rows).rejects.toThrow(/no such table: missing/);
    expect(raw.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3 });
    // Stopped before it answers: the answer is a rejection, not a hang. Meanwhile its thread runs at
    // a lower priority than this one (Linux, where nice values are per thread; unless this process
    // runs at that priority or lower already, when the difference cannot show). A new thread: the
    // threads of the reads above may still be ending, at that priority too.
    const before = backgroundThreads();
    const stopped = readBeside(path, 1_000, [sql`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c`.compile(db)]);
    if (canSeeBackgroundNice()) {
      let seen = false;
      await waitFor(() => (seen = newBackgroundThread(before)));
      expect(seen).toBe(true);
    }
    await stopped.stop();
    await expect(stopped.rows).rejects.toThrow();
    await db.destroy();
  });
});
