/** A child for in-child.test: answers as its argument says (a value, an input error, an error, or no answer at all). */
import { answerParent } from '../../src/bench/in-child.ts';
import { InputError } from '../../src/util/input-error.ts';

await answerParent((args: { answer: 'value' | 'input-error' | 'error' | 'exit'; value?: unknown }) => {
  if (args.answer === 'input-error') throw new InputError('that folder cannot be benched');
  if (args.answer === 'error') throw new Error('the disk fell off');
  if (args.answer === 'exit') process.exit(3);
  return { got: args.value, pid: process.pid };
});
