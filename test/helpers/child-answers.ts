/**
 * A child for in-child.test: answers as its argument says (a value, an input error, an error, or no
 * answer at all; 'noisy': a value, with lines printed before and after it, as V8's --trace-gc does).
 */
import { answerParent } from '../../src/bench/in-child.ts';
import { InputError } from '../../src/util/input-error.ts';

await answerParent((args: { answer: 'value' | 'noisy' | 'input-error' | 'error' | 'exit'; value?: unknown }) => {
  if (args.answer === 'noisy') {
    process.stdout.write('[1:0x1]  12 ms: Scavenge 5.1 (6.2) -> 4.7 (8.5) MB\n{"ok": "not the answer"}');
    process.on('exit', () => process.stdout.write('[1:0x1]  99 ms: Mark-Compact 8.1 (11.2) -> 5.7 (8.2) MB\n'));
  }
  if (args.answer === 'input-error') throw new InputError('that folder cannot be benched');
  if (args.answer === 'error') throw new Error('the disk fell off');
  if (args.answer === 'exit') process.exit(3);
  return { got: args.value, pid: process.pid };
});
