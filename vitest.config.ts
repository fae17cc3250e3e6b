import { defineConfig } from 'vitest/config';

/**
 * The suite runs on SQLite always, and a second time on PostgreSQL when VIB_TEST_PG names a
 * database (CI sets it). Tests of pure code (readers, names, values) run once.
 */
const pureTests = ['test/bag-reader.test.ts', 'test/cli.test.ts', 'test/csv-reader.test.ts', 'test/values.test.ts', 'test/party-linking.test.ts', 'test/schemas.test.ts', 'test/bench.test.ts', 'test/vbo-ids.test.ts', 'test/read-beside.test.ts'];

const common = { testTimeout: 120_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Tests spawn CLI processes and use real databases; two workers match the 2-core machines.
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: 'sqlite', include: ['test/**/*.test.ts'], env: { VIB_TEST_ENGINE: 'sqlite' } } },
      ...(process.env.VIB_TEST_PG
        ? [{ test: { ...common, name: 'postgres', include: ['test/**/*.test.ts'], exclude: pureTests, env: { VIB_TEST_ENGINE: 'postgres' }, globalSetup: ['test/helpers/global-setup.ts'] } }]
        : []),
    ],
  },
});
