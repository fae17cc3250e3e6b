/**
 * The `vib` command: dispatches to one file per command. Errors a user can fix print one line and
 * exit 2; a busy database exits 3; anything else is an internal error (exit 1), with the stack only
 * when VIB_DEBUG is set.
 */
import { InputError } from '../util/input-error.ts';
import { writeFailure } from '../util/write-failure.ts';
import { DatabaseBusyError } from '../db/engine.ts';
import { ReviewConflictError } from '../review/decide.ts';
import { USAGE, type CommandName } from './usage.ts';

type Command = (argv: string[]) => Promise<number>;

/**
 * A command's module is loaded when the command runs: loading all of them (the screen's stages, the
 * web server, exceljs, the PostgreSQL client) took about a second of every call, `vib check` and
 * `vib --help` included.
 */
const commands: Record<CommandName, () => Promise<Command>> = {
  screen: async () => (await import('./screen.ts')).screenCommand,
  'run-due': async () => (await import('./run-due.ts')).runDueCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  'match-names': async () => (await import('./match-names.ts')).matchNamesCommand,
  replay: async () => (await import('./replay.ts')).replayCommand,
  verify: async () => (await import('./verify.ts')).verifyCommand,
  diff: async () => (await import('./diff.ts')).diffCommand,
  review: async () => (await import('./review.ts')).reviewCommand,
  users: async () => (await import('./users.ts')).usersCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  export: async () => (await import('./export.ts')).exportCommand,
  purge: async () => (await import('./purge.ts')).purgeCommand,
  schemas: async () => (await import('./schemas.ts')).schemasCommand,
};

const isCommand = (name: string): name is CommandName => Object.hasOwn(commands, name);

function help(): string {
  return `Vastgoed in Beeld: property-risk screening for ondermijning.\n\nUsage:\n${Object.values(USAGE).map((u) => `  ${u}`).join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  if (!isCommand(name)) {
    process.stderr.write(`vib: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    return await (await commands[name]())(rest);
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`vib ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ReviewConflictError) {
      process.stderr.write(`vib ${name}: ${err.message}\n`);
      return 4;
    }
    if (err instanceof DatabaseBusyError) {
      process.stderr.write(`vib ${name}: ${err.message}\n`);
      return 3;
    }
    const e = err as Error;
    const cannotWrite = writeFailure(err);
    if (cannotWrite) {
      process.stderr.write(`vib ${name}: ${cannotWrite}; nothing of this run was kept\n`);
      return 2;
    }
    process.stderr.write(`vib ${name}: internal error: ${e.message}\n`);
    if (process.env.VIB_DEBUG) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
