/**
 * Local users: a name, a role and a scrypt password hash. Analysts and coordinators decide; auditors
 * only read. Sessions are random tokens stored as their sha256, so a database copy holds no
 * usable session.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../db/database.ts';
import { sha256 } from '../util/hash.ts';
import { InputError } from '../util/input-error.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };

export const ROLES = ['analist', 'coordinator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(got, expected);
}

export async function addUser(db: Db, name: string, role: string, password: string, at: string): Promise<void> {
  if (!/^[a-z0-9._-]{2,40}$/i.test(name)) throw new InputError(`user name "${name}" must be 2-40 letters, digits, dots, dashes or underscores`);
  if (!(ROLES as readonly string[]).includes(role)) throw new InputError(`role "${role}" is not one of ${ROLES.join(', ')}`);
  if (password.length < 10) throw new InputError('a password needs at least 10 characters');
  const exists = await db.selectFrom('app_user').select('name').where('name', '=', name).executeTakeFirst();
  if (exists) throw new InputError(`user ${name} exists already`);
  await db.insertInto('app_user').values({ name, role: role as Role, password_hash: await hashPassword(password), created_at: at }).execute();
}

export async function userRole(db: Db, name: string): Promise<Role | null> {
  const u = await db.selectFrom('app_user').select('role').where('name', '=', name).executeTakeFirst();
  return (u?.role as Role | undefined) ?? null;
}

/** Checks a login; returns the role, or null (without saying whether the name or the password was wrong). */
export async function login(db: Db, name: string, password: string): Promise<Role | null> {
  const u = await db.selectFrom('app_user').select(['role', 'password_hash']).where('name', '=', name).executeTakeFirst();
  if (!u) {
    await hashPassword(password); // same cost either way
    return null;
  }
  return (await verifyPassword(password, u.password_hash)) ? (u.role as Role) : null;
}

export async function createSession(db: Db, user: string, now: Date, hours = 10): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.insertInto('app_session').values({ token_hash: sha256(token), user_name: user, expires_at: new Date(now.getTime() + hours * 3_600_000).toISOString() }).execute();
  return token;
}

export async function sessionUser(db: Db, token: string | undefined, now: Date): Promise<{ name: string; role: Role } | null> {
  if (!token) return null;
  const s = await db.selectFrom('app_session').innerJoin('app_user', 'app_user.name', 'app_session.user_name')
    .select(['app_user.name', 'app_user.role', 'app_session.expires_at']).where('app_session.token_hash', '=', sha256(token)).executeTakeFirst();
  if (!s || s.expires_at <= now.toISOString()) return null;
  return { name: s.name, role: s.role as Role };
}

export async function endSession(db: Db, token: string | undefined): Promise<void> {
  if (token) await db.deleteFrom('app_session').where('token_hash', '=', sha256(token)).execute();
}
