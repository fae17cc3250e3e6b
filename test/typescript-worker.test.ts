import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { startTypescriptWorker, workerBundle } from '../src/util/typescript-worker.ts';

/** What a worker posts first (it is ended after). */
async function firstMessage(worker: Worker): Promise<unknown> {
  try {
    return await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  } finally {
    await worker.terminate();
  }
}

describe('worker threads of TypeScript modules', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  const project = () => {
    const root = mkdtempSync(join(tmpdir(), 'vib-tsworker-'));
    dirs.push(root);
    writeFileSync(join(root, 'say.ts'), "export const said: string = 'one';\n");
    writeFileSync(join(root, 'a-worker.ts'), "import { parentPort } from 'node:worker_threads';\nimport { said } from './say.ts';\nparentPort!.postMessage(said satisfies string);\n");
    return { root, cache: join(root, 'cache') };
  };

  it('start from a bundle made once, and made again when any of its sources changes', async () => {
    const at = project();
    const entry = join(at.root, 'a-worker.ts');
    const first = workerBundle(entry, at)!;
    expect(first).not.toBeNull();
    expect(await firstMessage(new Worker(pathToFileURL(first)))).toBe('one');
    const manifest = JSON.parse(readFileSync(join(at.cache, 'a-worker.json'), 'utf8')) as { inputs: Record<string, string> };
    expect(Object.keys(manifest.inputs)).toEqual(['a-worker.ts', 'say.ts']);
    // Found again, not made again: the same file.
    expect(workerBundle(entry, at)).toBe(first);
    // A source the entry imports changes: a new bundle, with the new text; the old one is gone.
    writeFileSync(join(at.root, 'say.ts'), "export const said: string = 'two';\n");
    const second = workerBundle(entry, at)!;
    expect(second).not.toBe(first);
    expect(await firstMessage(new Worker(pathToFileURL(second)))).toBe('two');
    expect(readdirSync(at.cache).filter((f) => f.endsWith('.mjs'))).toEqual([second.split('/').pop()]);
  });

  it('start through tsx where a module finds files relative to itself, and say so in the cache', () => {
    const at = project();
    writeFileSync(join(at.root, 'b-worker.ts'), "import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage(new URL('./x.txt', import.meta.url).href);\n");
    expect(workerBundle(join(at.root, 'b-worker.ts'), at)).toBeNull();
    expect(JSON.parse(readFileSync(join(at.cache, 'b-worker.json'), 'utf8'))).toMatchObject({ bundle: null });
    expect(workerBundle(join(at.root, 'b-worker.ts'), at)).toBeNull();
  });

  it('start through tsx where the module cannot be bundled', () => {
    const at = project();
    writeFileSync(join(at.root, 'c-worker.ts'), "import { nothing } from './missing.ts';\nconsole.log(nothing);\n");
    expect(workerBundle(join(at.root, 'c-worker.ts'), at)).toBeNull();
  });

  it('start where this process runs with V8 options and tsx imported (as the bench does)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vib-tsworker-'));
    dirs.push(dir);
    const script = join(dir, 'start.ts');
    const module = new URL('../src/util/typescript-worker.ts', import.meta.url).href;
    const entry = new URL('../src/sources/bag/parse-worker.ts', import.meta.url).href;
    writeFileSync(script, `import { startTypescriptWorker } from ${JSON.stringify(module)};
const w = startTypescriptWorker(new URL(${JSON.stringify(entry)}));
w.once('message', (m) => { console.log(JSON.stringify(m.items.others)); void w.terminate(); });
w.postMessage({ id: 1, file: 'LEVERINGSDOCUMENT.xml', kind: 'side-file' });
`);
    const run = spawnSync(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', script], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([{ kind: 'skipped', file: 'LEVERINGSDOCUMENT.xml', what: 'side file (not records)', count: 0 }]);
  });

  it("run the project's own workers, bundled: the BAG parser answers a job", async () => {
    const worker = startTypescriptWorker(new URL('../src/sources/bag/parse-worker.ts', import.meta.url));
    worker.postMessage({ id: 7, file: 'bag/LEVERINGSDOCUMENT.xml', kind: 'side-file' });
    const answer = await firstMessage(worker) as { id: number; items: { others: unknown[] } };
    expect(answer.id).toBe(7);
    expect(answer.items.others).toEqual([{ kind: 'skipped', file: 'bag/LEVERINGSDOCUMENT.xml', what: 'side file (not records)', count: 0 }]);
    expect(workerBundle(new URL('../src/sources/bag/parse-worker.ts', import.meta.url).pathname)).toMatch(/node_modules\/\.cache\/vib-workers\/src-sources-bag-parse-worker-[0-9a-f]{16}\.mjs$/);
  });
});
