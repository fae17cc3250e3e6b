/**
 * For the PostgreSQL project: every test run gets its own schema prefix, and the schemas it made are
 * dropped when the run ends.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { parsePostgresUrl } from '../../src/db/postgres/postgres-engine.ts';

declare module 'vitest' {
  export interface ProvidedContext { pgSchemaPrefix: string }
}

let prefix = '';

export function setup(project: TestProject): void {
  prefix = `vibt_${process.pid}_${Date.now().toString(36)}`;
  project.provide('pgSchemaPrefix', prefix);
}

export async function teardown(): Promise<void> {
  const url = process.env.VIB_TEST_PG;
  if (!url || !prefix) return;
  const client = new pg.Client({ connectionString: parsePostgresUrl(url).connectionString });
  await client.connect();
  try {
    const r = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${prefix}%`]);
    for (const { nspname } of r.rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
