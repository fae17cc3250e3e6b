/**
 * Each stage's own peak RSS, sampled on a thread of its own: the screen's thread spends whole stages
 * inside one SQLite statement, where no timer of its would fire. The screen names the stage it
 * enters (`onStage`); the thread samples the process's RSS every `intervalMs` and keeps the largest
 * it saw in each stage. The process's maxRSS when a stage ends (ScreenResult.peakRssMb) says where
 * memory rose; this says how high each stage went, so a stage that comes close to the peak without
 * setting it shows too (in the fortieth session that took a sampler of /proc beside the bench).
 */
import { Worker } from 'node:worker_threads';

/** Stages a screen names at most (a screen has some forty; more are not sampled). */
const MAX_STAGES = 1024;

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const current = new Int32Array(workerData.current);
const peaks = new Int32Array(workerData.peaks);
setInterval(() => {
  const s = Atomics.load(current, 0);
  if (s < 0) return;
  const mb = Math.round(process.memoryUsage.rss() / 1048576);
  if (mb > Atomics.load(peaks, s)) Atomics.store(peaks, s, mb);
}, workerData.intervalMs);
`;

export interface StageMemory {
  /** The process is in `stage` from now on; null: between stages, where nothing is sampled. */
  enter(stage: string | null): void;
  /** Ends the sampling: each stage entered, with the largest RSS (MB) seen in it. */
  stop(): Promise<Record<string, number>>;
}

export function sampleStageMemory(intervalMs = 50): StageMemory {
  const current = new Int32Array(new SharedArrayBuffer(4));
  const peaks = new Int32Array(new SharedArrayBuffer(4 * MAX_STAGES));
  Atomics.store(current, 0, -1);
  const names = new Map<string, number>();
  // A plain script with no flags of the bench's (it would load tsx for nothing).
  const worker = new Worker(SAMPLER, { eval: true, execArgv: [], workerData: { current: current.buffer, peaks: peaks.buffer, intervalMs } });
  // Taken here too as a stage starts and ends: a stage shorter than the interval still gets its RSS,
  // and what happens between two stages (a flush, a thread started) counts to neither.
  const sampleNow = () => {
    const s = Atomics.load(current, 0);
    if (s >= 0) Atomics.store(peaks, s, Math.max(Atomics.load(peaks, s), Math.round(process.memoryUsage.rss() / 1048576)));
  };
  return {
    enter(stage) {
      sampleNow();
      let i = stage === null ? undefined : names.get(stage);
      if (stage !== null && i === undefined && names.size < MAX_STAGES) names.set(stage, (i = names.size));
      Atomics.store(current, 0, i ?? -1);
      sampleNow();
    },
    async stop() {
      sampleNow();
      Atomics.store(current, 0, -1);
      await worker.terminate();
      return Object.fromEntries([...names].map(([name, i]) => [name, Atomics.load(peaks, i)]));
    },
  };
}
