/**
 * Where party linking gets the {@link NameFacts} of a page of names: on this thread, or from a worker
 * thread, so that normalising a page runs on the second core while this one reads the next page and
 * writes the last one's rows (the database connection stays on this thread). The facts are the same
 * either way: one function computes them.
 */
import { startTypescriptWorker } from '../../util/typescript-worker.ts';
import { nameFacts, type NameFacts } from './name-facts.ts';
import type { NameFactsJob } from './name-facts-worker.ts';

export interface NameFactsSource {
  facts(names: string[]): Promise<NameFacts>;
  close(): Promise<void>;
}

export function nameFactsHere(): NameFactsSource {
  return { facts: async (names) => nameFacts(names), close: async () => undefined };
}

/**
 * The young generation of the thread (MB): a page's names and their normalised forms die young and
 * take a few MB. With the reader threads' 96 MB, linking the 1M bench's parties took 14.4-16.0 s and
 * the process peaked at 1,070-1,115 MB; with 16 MB, 13.9-15.7 s and 1,057-1,079 MB (four rounds each,
 * alternating).
 */
const YOUNG_MB = 16;

/** One worker thread; pages may be asked for ahead, and each answer goes to its own request. */
export function nameFactsInWorker(): NameFactsSource {
  const worker = startTypescriptWorker(new URL('./name-facts-worker.ts', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
  const waiting = new Map<number, { resolve: (f: NameFacts) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (err: Error) => {
    failure = new Error(`name normalisation thread failed: ${err.message}`);
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; facts: NameFacts }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.resolve(m.facts);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => { if (waiting.size) failAll(new Error(`exited with code ${code}`)); });
  return {
    facts(names) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<NameFacts>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, names } satisfies NameFactsJob);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
