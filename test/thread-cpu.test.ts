import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadCpuSeconds } from '../src/util/thread-cpu.ts';

// A fixed amount of work (not a fixed time: on a busy machine a thread gets less of each second).
const WORK = `let x = 0; for (let i = 0; i < 600000000; i++) x = (x + i) | 0;`;
const work = new Function(`${WORK} return x;`) as () => number;

// Linux only (/proc/thread-self); elsewhere the clock says null and the bench prints no main-thread column.
describe.runIf(process.platform === 'linux')('the calling thread\'s CPU clock', () => {
  it('counts what this thread spends, not what another thread spends meanwhile', async () => {
    const before = threadCpuSeconds()!;
    work();
    const own = threadCpuSeconds()! - before;
    expect(own).toBeGreaterThan(0.05);

    // The same work on a worker while this thread only waits for it: the process's clock sees it, this one hardly moves.
    const all0 = process.cpuUsage();
    const waiting0 = threadCpuSeconds()!;
    const worker = new Worker(`${WORK} require('node:worker_threads').parentPort.postMessage(x);`, { eval: true });
    await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    const waited = threadCpuSeconds()! - waiting0;
    await worker.terminate();
    const all = process.cpuUsage(all0);
    expect(waited).toBeLessThan(own / 2);
    expect((all.user + all.system) / 1e6).toBeGreaterThan(waited + own / 2);
  });
});
