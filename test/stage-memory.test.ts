import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleStageMemory } from '../src/bench/stage-memory.ts';
import { arraysInOneBlock } from '../src/util/arrays-in-one-block.ts';

const rssMb = () => Math.round(process.memoryUsage.rss() / 1048576);

describe("the bench's memory by stage", () => {
  it('keeps the largest RSS seen in each stage, sampled on its own thread while this one is busy', async () => {
    const memory = sampleStageMemory(10);
    memory.enter('small');
    await sleep(50);
    memory.enter('large');
    const before = rssMb();
    // 96 MB touched page by page while this thread blocks (as in a long SQLite statement), then given
    // back before the next stage starts: only the sampling thread can have seen them.
    const block = arraysInOneBlock(96 * 1024 * 1024, { bytes: 'u8' });
    const { bytes } = block.arrays;
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;
    const until = Date.now() + 100;
    while (Date.now() < until) { /* busy: no timer of this thread runs */ }
    await block.release();
    expect(rssMb()).toBeLessThan(before + 50);
    memory.enter('after');
    const peaks = await memory.stop();
    expect(Object.keys(peaks)).toEqual(['small', 'large', 'after']);
    expect(peaks.small).toBeGreaterThan(0);
    expect(peaks.large).toBeGreaterThanOrEqual(before + 80);
    expect(peaks.after).toBeLessThan(before + 50);
    // A stage entered again keeps its one entry.
    const again = sampleStageMemory(10);
    again.enter('a');
    again.enter('b');
    again.enter('a');
    expect(Object.keys(await again.stop())).toEqual(['a', 'b']);
  });
});
