/**
 * `vib users add NAME --role analist|coordinator|auditor [--db PATH]`: the password comes from
 * VIB_PASSWORD when set (for scripts), else it is asked for on the terminal without echo.
 * `vib users list [--db PATH]`.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { openEngine } from '../db/open-engine.ts';
import { addUser } from '../review/users.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE.users;

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new InputError('no password: set VIB_PASSWORD, or run on a terminal to be asked');
  let muted = false;
  const out = new Writable({ write(chunk, _enc, cb) { if (!muted) process.stdout.write(chunk); cb(); } });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  const ask = (q: string) => new Promise<string>((resolve) => { process.stdout.write(q); muted = true; rl.question('', (a) => { muted = false; process.stdout.write('\n'); resolve(a); }); });
  try {
    const a = await ask('Wachtwoord: ');
    const b = await ask('Nogmaals: ');
    if (a !== b) throw new InputError('the passwords differ');
    return a;
  } finally {
    rl.close();
  }
}

export async function usersCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { role: { type: 'string' }, db: { type: 'string' } }, true);
  // What is missing or mistyped is told, and the password asked, before any database is opened (or created).
  if (sub !== 'add' && sub !== 'list') throw new InputError(usage);
  let add: { name: string; role: string; password: string } | null = null;
  if (sub === 'add') {
    const [name] = positionals;
    if (!name || !values.role) throw new InputError(usage);
    add = { name, role: values.role, password: process.env.VIB_PASSWORD ?? (await askPassword()) };
  }
  const engine = await openEngine(values.db);
  try {
    if (add) {
      await addUser(engine.db, add.name, add.role, add.password, new Date().toISOString());
      process.stdout.write(`user ${add.name} added (${add.role})\n`);
      return 0;
    }
    for (const u of await engine.db.selectFrom('app_user').select(['name', 'role', 'created_at']).orderBy('name').execute()) process.stdout.write(`${u.name}\t${u.role}\t${u.created_at}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
