import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadCpuSeconds } from '../src/util/thread-cpu.ts';

// A fixed amount of work (not a fixed time: on a busy machine a thread gets less of each second).
const WORK = `let x = 0; for (let i = 0; i < 600000000; i++) x = (x + i) | 0;`;
const work = new Function(`${WORK} return x;`) as () => number;
const seconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

// Linux only (/proc/thread-self); elsewhere the clock says null and the bench prints no main-thread column.
describe.runIf(process.platform === 'linux')('the calling thread\'s CPU clock', () => {
  it('counts what this thread spends, not what another thread spends meanwhile', async () => {
    const own0 = process.cpuUsage();
    const before = threadCpuSeconds()!;
    work();
    const own = threadCpuSeconds()! - before;
    const ownAll = seconds(process.cpuUsage(own0));
    expect(own).toBeGreaterThan(0.05);
    // Work on this thread: most of what the process spent meanwhile (V8's helper threads take a little).
    expect(own).toBeGreaterThan(ownAll / 2);

    // Work on a worker while this thread only waits for it: the process's clock sees it, this one
    // hardly moves. Compared with the process's clock over the same wait, not with the work above: the
    // same loop may cost a worker less or more than this thread (V8 optimises each on its own).
    const all0 = process.cpuUsage();
    const waiting0 = threadCpuSeconds()!;
    const worker = new Worker(`${WORK} require('node:worker_threads').parentPort.postMessage(x);`, { eval: true });
    await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    const waited = threadCpuSeconds()! - waiting0;
    await worker.terminate();
    const all = seconds(process.cpuUsage(all0));
    expect(all).toBeGreaterThan(0.05);
    expect(waited).toBeLessThan(all / 2);
  });
});
