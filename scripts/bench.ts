/** Entry point of `npm run bench` (see src/bench/run-bench.ts). */
import { runBench } from '../src/bench/run-bench.ts';
import { InputError } from '../src/util/input-error.ts';

try {
  await runBench(process.argv.slice(2));
} catch (err) {
  // Wrong arguments get a line, not a stack trace.
  const code = (err as { code?: string }).code;
  if (!(err instanceof InputError || (err instanceof Error && code?.startsWith('ERR_PARSE_ARGS')))) throw err;
  process.stderr.write(`bench: ${err.message}\n`);
  process.exitCode = 2;
}
