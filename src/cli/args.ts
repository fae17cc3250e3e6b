/** Small helpers over node:util parseArgs so every command reads its options the same way. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../util/input-error.ts';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new InputError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}
