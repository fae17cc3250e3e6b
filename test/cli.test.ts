import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE, type CommandName } from '../src/cli/usage.ts';
import { vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';

describe('the vib command', () => {
  it('lists every command with its usage, exit 2 without a command and 0 when asked', () => {
    const bare = vib([]);
    expect(bare.code).toBe(2);
    for (const usage of Object.values(USAGE)) expect(bare.stdout).toContain(`  ${usage}\n`);
    const asked = vib(['--help']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toBe(bare.stdout);
  });

  it.each(['screeen', 'toString', '__proto__', 'constructor'])('refuses the unknown command %s by name, with the usage', (name) => {
    const r = vib([name]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`vib: unknown command "${name}"`);
    expect(r.stderr).toContain(USAGE.screen);
    expect(r.stderr).not.toContain('internal error');
  });

  // Each command's module is loaded only when it runs: this loads every one of them, and each refuses
  // an unknown option as a user's mistake (exit 2, one line naming the command), before it opens or
  // creates a database (the default one, data/vib.sqlite, would be made in the working folder).
  it.each(Object.keys(USAGE) as CommandName[])('loads %s when it runs, and refuses an unknown option before touching a database', (name) => {
    const cwd = tempDir();
    const args = name === 'review' || name === 'users' ? [name, 'list', '--no-such-option'] : [name, '--no-such-option'];
    const r = vib(args, {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^vib ${name}: Unknown option '--no-such-option'`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each([['review', 'lijst'], ['users', 'toevoegen'], ['review', 'show'], ['users', 'add', 'anna']])('names the usage of %s for %s %s (unknown, or short of what it needs), before touching a database', (name, ...args) => {
    const cwd = tempDir();
    const r = vib([name, ...args], {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vib ${name}: ${USAGE[name as CommandName]}\n`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a review decision without --status and --as, or with a version that is no number, before touching a database', () => {
    const cwd = tempDir();
    const missing = vib(['review', 'set', '0935010000100001', '--status', 'vals_positief'], {}, cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`vib review: give --status and --as\n${USAGE.review}\n`);
    const version = vib(['review', 'set', '0935010000100001', '--status', 'vals_positief', '--as', 'anna', '--version', 'drie'], {}, cwd);
    expect(version.code).toBe(2);
    expect(version.stderr).toBe('vib review: --version is the entry\'s version, a whole number, not "drie"\n');
    expect(readdirSync(cwd)).toEqual([]);
  });
});
