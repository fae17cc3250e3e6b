/**
 * The `vib` command: dispatches to one file per command. Errors a user can fix print one line and
 * exit 2; a busy database exits 3; anything else is an internal error (exit 1), with the stack only
 * when VIB_DEBUG is set.
 */
import { InputError } from '../util/input-error.ts';
import { DatabaseBusyError } from '../db/engine.ts';
import { screenCommand, usage as screenUsage } from './screen.ts';
import { schemasCommand } from './schemas.ts';
import { runDueCommand, usage as runDueUsage } from './run-due.ts';
import { checkCommand, usage as checkUsage } from './check.ts';
import { matchNamesCommand, usage as matchNamesUsage } from './match-names.ts';
import { replayCommand, usage as replayUsage } from './replay.ts';
import { verifyCommand, usage as verifyUsage } from './verify.ts';
import { usersCommand, usage as usersUsage } from './users.ts';
import { reviewCommand, usage as reviewUsage } from './review.ts';
import { diffCommand, usage as diffUsage } from './diff.ts';
import { serveCommand, usage as serveUsage } from './serve.ts';
import { ReviewConflictError } from '../review/decide.ts';
import { exportCommand, usage as exportUsage } from './export.ts';
import { purgeCommand, usage as purgeUsage } from './purge.ts';

const commands: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  screen: { run: screenCommand, usage: screenUsage },
  'run-due': { run: runDueCommand, usage: runDueUsage },
  check: { run: checkCommand, usage: checkUsage },
  'match-names': { run: matchNamesCommand, usage: matchNamesUsage },
  replay: { run: replayCommand, usage: replayUsage },
  verify: { run: verifyCommand, usage: verifyUsage },
  diff: { run: diffCommand, usage: diffUsage },
  review: { run: reviewCommand, usage: reviewUsage },
  users: { run: usersCommand, usage: usersUsage },
  serve: { run: serveCommand, usage: serveUsage },
  export: { run: exportCommand, usage: exportUsage },
  purge: { run: purgeCommand, usage: purgeUsage },
  schemas: { run: schemasCommand, usage: 'vib schemas   (writes the JSON Schemas of register.json and the pipeline file into schemas/)' },
};

function help(): string {
  return `Vastgoed in Beeld: property-risk screening for ondermijning.\n\nUsage:\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`vib: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    return await cmd.run(rest);
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
    const e = err as Error & { code?: string };
    if (e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'ENOSPC' || e.code === 'ENOTDIR' || e.code === 'EPERM') {
      const why = e.code === 'ENOSPC' ? 'the disk is full' : e.code === 'ENOTDIR' ? 'a part of the path is a file, not a folder' : 'permission denied or read-only';
      process.stderr.write(`vib ${name}: cannot write ${(e as { path?: string }).path ?? 'output'}: ${why}; nothing of this run was kept\n`);
      return 2;
    }
    process.stderr.write(`vib ${name}: internal error: ${e.message}\n`);
    if (process.env.VIB_DEBUG) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
