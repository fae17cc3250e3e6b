import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRun } from '../src/check/run-check.ts';
import { openSqlite } from '../src/db/sqlite/sqlite-engine.ts';
import { catalogue } from '../src/rules/catalogue.ts';
import { startRuleThread, type RuleJob } from '../src/rules/rule-thread.ts';
import { vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';

// The rule thread reads a committed SQLite run through a connection of its own (PostgreSQL's run is
// one transaction: the rules stay on the screening's connection there).
describe.runIf(process.env.VIB_TEST_ENGINE !== 'postgres')('the rule thread', () => {
  it('finds the same hits as the screening thread, takes only the rules the shared counter leaves it, and reports a failure', async () => {
    const work = tempDir();
    const path = join(work, 'vib.sqlite');
    expect(vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', path, '--out', join(work, 'out')]).code).toBe(0);
    const engine = openSqlite(path);
    const thread = startRuleThread(path, 10_000, 16);
    try {
      const run = await resolveRun(engine.db);
      const rules = catalogue.filter((r) => (r.phase ?? 1) === 1);
      const jobs: RuleJob[] = rules.map((r) => ({ ruleId: r.id, params: r.params.parse({}) as Record<string, unknown>, runKey: run.run_key, peildatum: run.peildatum }));
      const here = [];
      for (const [i, r] of rules.entries()) here.push(await r.evaluate({ db: engine.db, runKey: run.run_key, peildatum: run.peildatum, params: jobs[i]!.params, earlierHits: new Map() }));
      expect(here.flat().length).toBeGreaterThan(20);

      const all = await thread.evaluate(jobs, new Int32Array(new SharedArrayBuffer(4)));
      expect([...all.keys()].sort((a, b) => a - b)).toEqual(rules.map((_, i) => i));
      for (const [i, t] of all) expect(t.hits).toEqual(here[i]);

      // Another thread has taken the first five: this one evaluates the rest, once each.
      const next = new Int32Array(new SharedArrayBuffer(4));
      Atomics.store(next, 0, 5);
      const rest = await thread.evaluate(jobs, next);
      expect([...rest.keys()].sort((a, b) => a - b)).toEqual(rules.map((_, i) => i).slice(5));
      expect(Atomics.load(next, 0)).toBeGreaterThanOrEqual(rules.length);

      await expect(thread.evaluate([{ ...jobs[0]!, ruleId: 'no.such-rule' }], new Int32Array(new SharedArrayBuffer(4)))).rejects.toThrow(/unknown rule no\.such-rule/);
    } finally {
      await thread.close();
      await engine.close();
    }
  });
});
