import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadCpuSeconds } from '../src/util/thread-cpu.ts';

const spin = (ms: number) => { const end = performance.now() + ms; let x = 0; while (performance.now() < end) x++; return x; };

// Linux only (/proc/thread-self); elsewhere the clock says null and the bench prints no main-thread column.
describe.runIf(process.platform === 'linux')('the calling thread\'s CPU clock', () => {
  it('counts what this thread spends, not what another thread spends meanwhile', async () => {
    const before = threadCpuSeconds()!;
    spin(300);
    const afterSpin = threadCpuSeconds()!;
    expect(afterSpin - before).toBeGreaterThanOrEqual(0.2);
    expect(afterSpin - before).toBeLessThanOrEqual(0.6);

    // A worker spins for 400 ms while this thread only waits for it: the process's clock moves, this one hardly.
    const all0 = process.cpuUsage();
    const worker = new Worker('const end = Date.now() + 400; let x = 0; while (Date.now() < end) x++; require("node:worker_threads").parentPort.postMessage(x);', { eval: true });
    await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    await worker.terminate();
    const all = process.cpuUsage(all0);
    const waited = threadCpuSeconds()! - afterSpin;
    expect((all.user + all.system) / 1e6).toBeGreaterThanOrEqual(0.3);
    expect(waited).toBeLessThan(0.2);
  });
});
