/** Entry point of `npm run bench` (see src/bench/run-bench.ts). */
import { runBench } from '../src/bench/run-bench.ts';

await runBench(process.argv.slice(2));
