import { describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInChild } from '../src/bench/in-child.ts';
import { generateInput } from '../src/bench/generate-input.ts';
import { prepareInputInChild } from '../src/bench/prepare-input.ts';
import { InputError } from '../src/util/input-error.ts';
import { tempDir } from './helpers/mini-input.ts';

const CHILD = join(import.meta.dirname, 'helpers', 'child-answers.ts');

/** Every file of a generated input folder (BAG XML and CSV) with its SHA-256. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sub of ['', 'bag']) {
    for (const f of readdirSync(join(dir, sub)).filter((f) => f.endsWith('.xml') || f.endsWith('.csv')).sort()) {
      out[join(sub, f)] = createHash('sha256').update(readFileSync(join(dir, sub, f))).digest('hex');
    }
  }
  return out;
}

describe("the bench's child processes", () => {
  it('runs a step in another process and hands back its answer', () => {
    const answer = runInChild<{ got: unknown; pid: number }>(CHILD, { answer: 'value', value: { units: 3, name: 'é' } }, 'test step');
    expect(answer.got).toEqual({ units: 3, name: 'é' });
    expect(answer.pid).not.toBe(process.pid);
  });

  it('finds the answer among other lines the child printed, and passes those on to stderr', () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; });
    let answer: { got: unknown };
    try {
      answer = runInChild<{ got: unknown }>(CHILD, { answer: 'noisy', value: 7 }, 'test step');
    } finally {
      spy.mockRestore();
    }
    expect(answer.got).toBe(7);
    expect(written.join('')).toBe('[1:0x1]  12 ms: Scavenge 5.1 (6.2) -> 4.7 (8.5) MB\n{"ok": "not the answer"}\n[1:0x1]  99 ms: Mark-Compact 8.1 (11.2) -> 5.7 (8.2) MB\n');
  });

  it("keeps an input error an input error, and says which step failed and why otherwise", () => {
    let thrown: unknown;
    try { runInChild(CHILD, { answer: 'input-error' }, 'test step'); } catch (err) { thrown = err; }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe('that folder cannot be benched');
    expect(() => runInChild(CHILD, { answer: 'error' }, 'test step')).toThrow(/^the bench's test step failed: the disk fell off$/);
    expect(() => runInChild(CHILD, { answer: 'exit' }, 'test step')).toThrow(/^the bench's test step failed: the child ended with exit code 3$/);
  });

  it('generates the same input in a child as in this process, and reuses it after', () => {
    const req = { units: 400, order: 'key', addressIds: 'follow', layout: 'compact', outer: null } as const;
    const here = generateInput(tempDir(), 400, 'key', 'follow', 'compact');
    const root = tempDir();
    const first = prepareInputInChild({ root, ...req });
    expect(first.input.cached).toBe(false);
    expect(first.zipped).toBeNull();
    expect(contents(first.input.dir)).toEqual(contents(here.dir));
    expect(Object.keys(contents(first.input.dir)).length).toBeGreaterThan(10);
    const again = prepareInputInChild({ root, ...req });
    expect(again.input).toMatchObject({ dir: first.input.dir, cached: true });
  });

  it('makes the official zip in the child where the BAG is benched as one', () => {
    const root = tempDir();
    const made = prepareInputInChild({ root, units: 300, order: 'key', addressIds: 'follow', layout: 'compact', outer: 'deflated' });
    expect(made.zipped).toMatchObject({ cached: false });
    expect(readdirSync(join(made.zipped!.dir, 'bag'))).toEqual(['lvbag-extract-nl.zip']);
    expect(made.zipped!.xmlBytes).toBeGreaterThan(0);
  });

  it("says why when the input cannot be made, in the child's words", () => {
    const root = tempDir();
    writeFileSync(join(root, 'not-a-folder'), '');
    expect(() => prepareInputInChild({ root: join(root, 'not-a-folder'), units: 10, order: 'key', addressIds: 'follow', layout: 'compact', outer: null }))
      .toThrow(/^the bench's input generation failed: .*not-a-folder/);
  });
});
