import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRun } from '../src/check/run-check.ts';
import { openSqlite } from '../src/db/sqlite/sqlite-engine.ts';
import { catalogue } from '../src/rules/catalogue.ts';
import type { RuleHit } from '../src/rules/define-rule.ts';
import { sideBySide, startRuleThread, type RuleJob, type RuleThread, type RuleThreadResult } from '../src/rules/rule-thread.ts';
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

// sideBySide with stand-ins for the rule thread: what matters here is the shared counter, not SQLite.
describe('rules side by side', () => {
  const ready = ['a', 'b', 'c', 'd'];
  const jobOf = (r: string): RuleJob => ({ ruleId: r, params: {}, runKey: 1, peildatum: '2026-10-01' });
  const hitsOf = (r: string, by: string) => [{ vbo_id: `${r}-${by}` }] as unknown as RuleHit[];

  it('does not wait for a rule thread that took no rule (one still booting never answers)', async () => {
    let closed = false;
    const booting: RuleThread = { evaluate: () => new Promise(() => undefined), close: async () => { closed = true; } };
    const found = await sideBySide(ready, booting, jobOf, async (r) => hitsOf(r, 'here'), () => { throw new Error('nothing was timed there'); }, async () => undefined);
    expect(found).toEqual(ready.map((r) => hitsOf(r, 'here')));
    expect(closed).toBe(false);
  });

  it('takes the rule thread\'s hits for the rules it took, in the rules\' order', async () => {
    const timed: string[] = [];
    // The rule thread takes the first two from the counter before this thread's `first` is done.
    const quick: RuleThread = {
      evaluate: async (jobs, next) => {
        const mine = new Map<number, RuleThreadResult>();
        for (let k = 0; k < 2; k++) { const i = Atomics.add(next, 0, 1); mine.set(i, { hits: hitsOf(jobs[i]!.ruleId, 'there'), seconds: 0, cpuSeconds: 0 }); }
        return mine;
      },
      close: async () => undefined,
    };
    const found = await sideBySide(ready, quick, jobOf, async (r) => hitsOf(r, 'here'), (r) => timed.push(r), async () => undefined);
    expect(found).toEqual([hitsOf('a', 'there'), hitsOf('b', 'there'), hitsOf('c', 'here'), hitsOf('d', 'here')]);
    expect(timed).toEqual(['a', 'b']);
  });

  it('drops a failure of a rule thread that took no rule, and passes on one of a thread that did', async () => {
    const failing = (take: boolean): RuleThread => ({
      evaluate: async (_jobs, next) => { if (take) Atomics.add(next, 0, 1); throw new Error('the rule thread stopped'); },
      close: async () => undefined,
    });
    await expect(sideBySide(ready, failing(false), jobOf, async (r) => hitsOf(r, 'here'), () => undefined, async () => undefined)).resolves.toHaveLength(4);
    await expect(sideBySide(ready, failing(true), jobOf, async (r) => hitsOf(r, 'here'), () => undefined, async () => undefined)).rejects.toThrow(/the rule thread stopped/);
  });
});
