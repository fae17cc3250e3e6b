import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { resolveRun } from '../src/check/run-check.ts';
import { openSqlite } from '../src/db/sqlite/sqlite-engine.ts';
import { catalogue } from '../src/rules/catalogue.ts';
import type { RuleHit } from '../src/rules/define-rule.ts';
import { startRuleThread, startSideBySide, type RuleJob, type RuleThread, type RuleThreadResult } from '../src/rules/rule-thread.ts';
import { BACKGROUND_NICE } from '../src/util/background-priority.mjs';
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
      const here: RuleHit[][] = [];
      for (const [i, r] of rules.entries()) here.push(await r.evaluate({ db: engine.db, runKey: run.run_key, peildatum: run.peildatum, params: jobs[i]!.params, earlierHits: new Map() }));
      expect(here.flat().length).toBeGreaterThan(20);

      const all = await thread.evaluate(jobs, new Int32Array(new SharedArrayBuffer(4)));
      expect([...all.keys()].sort((a, b) => a - b)).toEqual(rules.map((_, i) => i));
      // On Linux the thread runs at a lower priority than the others (nice values are per thread there).
      if (process.platform === 'linux') {
        const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        const nices = readdirSync('/proc/self/task').map((t) => niceOf(readFileSync(`/proc/self/task/${t}/stat`, 'latin1')));
        expect(niceOf(readFileSync('/proc/thread-self/stat', 'latin1'))).toBe(0);
        expect(nices).toContain(BACKGROUND_NICE);
      }
      for (const [i, t] of all) expect(t.hits).toEqual(here[i]);

      // Another thread has taken the first five: this one evaluates the rest, once each.
      const next = new Int32Array(new SharedArrayBuffer(4));
      Atomics.store(next, 0, 5);
      const rest = await thread.evaluate(jobs, next);
      expect([...rest.keys()].sort((a, b) => a - b)).toEqual(rules.map((_, i) => i).slice(5));
      expect(Atomics.load(next, 0)).toBeGreaterThanOrEqual(rules.length);

      // A rule that does not say it reads party linking's tables is evaluated while they are being
      // written (run-screen.ts): without them it finds the same.
      await engine.db.transaction().execute(async (trx) => {
        for (const t of ['party_token', 'party_link', 'party']) await sql`DROP TABLE ${sql.table(t)}`.execute(trx);
        for (const [i, r] of rules.entries()) {
          if (r.readsParties) continue;
          expect(await r.evaluate({ db: trx, runKey: run.run_key, peildatum: run.peildatum, params: jobs[i]!.params, earlierHits: new Map() })).toEqual(here[i]);
        }
        throw new Error('rolled back');
      }).catch((err: Error) => { if (err.message !== 'rolled back') throw err; });
      expect(rules.filter((r) => !r.readsParties).length).toBeGreaterThan(8);

      // Jobs past the gate wait for it: the thread takes one, and what is committed before the gate
      // opens is what it reads. (The signals' party links removed, no unit matches a signal.)
      const signals = rules.findIndex((r) => r.id === 'network.signal-match');
      expect(here[signals]!.length).toBeGreaterThan(0);
      const gated = new Int32Array(new SharedArrayBuffer(4));
      const waiting = thread.evaluate([jobs[signals]!], gated, 0);
      while (Atomics.load(gated, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await engine.db.deleteFrom('party_link').where('run_key', '=', run.run_key).where('source', '=', 'signalen.csv').execute();
      thread.open();
      expect((await waiting).get(0)!.hits).toEqual([]);

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
    const booting: RuleThread = { evaluate: () => new Promise(() => undefined), open: () => undefined, close: async () => { closed = true; } };
    const found = await startSideBySide(ready, booting, jobOf).finish(async (r) => hitsOf(r, 'here'), () => { throw new Error('nothing was timed there'); }, async () => undefined);
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
      open: () => undefined,
      close: async () => undefined,
    };
    const found = await startSideBySide(ready, quick, jobOf).finish(async (r) => hitsOf(r, 'here'), (r) => timed.push(r), async () => undefined);
    expect(found).toEqual([hitsOf('a', 'there'), hitsOf('b', 'there'), hitsOf('c', 'here'), hitsOf('d', 'here')]);
    expect(timed).toEqual(['a', 'b']);
  });

  it('drops a failure of a rule thread that took no rule, and passes on one of a thread that did', async () => {
    const failing = (take: boolean): RuleThread => ({
      evaluate: async (_jobs, next) => { if (take) Atomics.add(next, 0, 1); throw new Error('the rule thread stopped'); },
      open: () => undefined,
      close: async () => undefined,
    });
    await expect(startSideBySide(ready, failing(false), jobOf).finish(async (r) => hitsOf(r, 'here'), () => undefined, async () => undefined)).resolves.toHaveLength(4);
    await expect(startSideBySide(ready, failing(true), jobOf).finish(async (r) => hitsOf(r, 'here'), () => undefined, async () => undefined)).rejects.toThrow(/the rule thread stopped/);
  });
});
