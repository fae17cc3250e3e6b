/** Entry point of `npm run bench` (see src/bench/run-bench.ts). */
import { runBench } from '../src/bench/run-bench.ts';
import { InputError } from '../src/util/input-error.ts';
import { writeFailure } from '../src/util/write-failure.ts';

// As the CLI reports errors (src/cli/main.ts): wrong arguments or input and a full or read-only disk
// get a line and exit 2; anything else is an internal error, exit 1, with the stack only when
// VIB_DEBUG is set.
try {
  await runBench(process.argv.slice(2));
} catch (err) {
  const e: Error & { code?: unknown } = err instanceof Error ? err : new Error(String(err));
  const cannotWrite = writeFailure(err);
  if (err instanceof InputError || (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) || cannotWrite) {
    process.stderr.write(`bench: ${cannotWrite ?? e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`bench: internal error: ${e.message}\n`);
    if (process.env.VIB_DEBUG) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  }
}
