/**
 * The review app (`vib serve`): fastify on 127.0.0.1, server-rendered, no external network. Session
 * cookies are HttpOnly and SameSite=Strict; every form carries a CSRF token (@fastify/csrf-protection);
 * a request from another origin is refused; the Content-Security-Policy allows only this app's own
 * stylesheet; the one static file is served from memory, so no path reaches the disk. Every write goes
 * through the same functions as the CLI.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import type { Engine } from '../db/engine.ts';
import { createSession, endSession, login, sessionUser } from '../review/users.ts';
import { decide, defaultPipeline, entryDetail, ReviewConflictError, worklist } from '../review/decide.ts';
import { diffRuns, runEntries } from '../review/run-diff.ts';
import { runCheck } from '../check/run-check.ts';
import { parseDate } from '../util/dates.ts';
import { InputError } from '../util/input-error.ts';
import { APP_CSS, checkPage, diffPage, entryPage, loginPage, worklistPage, type PageUser } from './pages.ts';

const SESSION = 'vib_session';
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const ASSETS: Record<string, { type: string; body: string }> = { 'app.css': { type: 'text/css; charset=utf-8', body: APP_CSS } };

export interface AppOptions { engine: Engine; now?: () => Date; cookieSecret?: string }

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { engine } = opts;
  const db = engine.db;
  const now = opts.now ?? (() => new Date());
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(cookie, { secret: opts.cookieSecret ?? randomBytes(32).toString('hex') });
  await app.register(formbody);
  await app.register(csrf, { cookieKey: 'vib_csrf', cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/' } });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own forms.
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Cache-Control', 'no-store');
  });
  // Requests from other origins are refused outright (cross-site forms, scripted requests).
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const own = `http://${req.headers.host}`;
    // Browsers say where a request comes from in Sec-Fetch-Site; older clients only in Origin.
    const foreign = site ? site !== 'same-origin' && site !== 'none' : Boolean(origin && origin !== own);
    if (foreign || (origin && origin !== own && origin !== 'null')) {
      return reply.code(403).type('text/plain').send('Verzoek van een andere herkomst geweigerd.');
    }
  });

  const user = async (req: FastifyRequest): Promise<PageUser | null> => sessionUser(db, req.cookies[SESSION], now());
  const html = (reply: FastifyReply, body: string, code = 200) => reply.code(code).type('text/html; charset=utf-8').send(body);
  const requireUser = async (req: FastifyRequest, reply: FastifyReply): Promise<PageUser | null> => {
    const u = await user(req);
    if (!u) { reply.redirect('/login', 303); return null; }
    return u;
  };
  const pipelineOf = async (req: FastifyRequest) => ((req.query as Record<string, string>).pipeline || (await defaultPipeline(db)));

  app.get('/assets/:name', async (req, reply) => {
    const a = ASSETS[(req.params as { name: string }).name];
    if (!a) return reply.code(404).type('text/plain').send('Niet gevonden.');
    return reply.type(a.type).send(a.body);
  });
  app.get('/login', async (_req, reply) => html(reply, loginPage(reply.generateCsrf())));
  app.post('/login', { preHandler: app.csrfProtection }, async (req, reply) => {
    const b = req.body as { name?: string; password?: string };
    const role = await login(db, b.name ?? '', b.password ?? '');
    if (!role) return html(reply, loginPage(reply.generateCsrf(), 'Onbekende gebruiker of verkeerd wachtwoord.'), 401);
    const token = await createSession(db, b.name!, now());
    reply.setCookie(SESSION, token, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: 10 * 3600 });
    return reply.redirect('/', 303);
  });
  app.post('/logout', { preHandler: app.csrfProtection }, async (req, reply) => {
    await endSession(db, req.cookies[SESSION]);
    reply.clearCookie(SESSION, { path: '/' });
    return reply.redirect('/login', 303);
  });
  app.get('/', async (req, reply) => {
    const u = await requireUser(req, reply);
    if (!u) return;
    const q = req.query as Record<string, string>;
    const pipeline = await pipelineOf(req);
    const all = await worklist(db, pipeline);
    const f = { band: q.band || undefined, status: q.status || undefined, rule: q.rule || undefined, street: q.street || undefined, assignee: q.assignee || undefined, sort: q.sort || undefined };
    const items = await worklist(db, pipeline, f);
    const rules = [...new Set(all.flatMap((i) => i.rules))].sort();
    return html(reply, worklistPage(u, reply.generateCsrf(), pipeline, items, all, f, rules));
  });
  app.get('/entry/:vbo', async (req, reply) => {
    const u = await requireUser(req, reply);
    if (!u) return;
    const d = await entryDetail(db, await pipelineOf(req), (req.params as { vbo: string }).vbo);
    return html(reply, entryPage(u, reply.generateCsrf(), d));
  });
  app.post('/entry/:vbo', { preHandler: app.csrfProtection }, async (req, reply) => {
    const u = await requireUser(req, reply);
    if (!u) return;
    const vbo = (req.params as { vbo: string }).vbo;
    const pipeline = await pipelineOf(req);
    if (u.role === 'auditor') return html(reply, entryPage(u, reply.generateCsrf(), await entryDetail(db, pipeline, vbo), { kind: 'error', text: 'Auditors kunnen lezen, niet beslissen.' }), 403);
    const b = req.body as Record<string, string>;
    let message: { kind: 'ok' | 'error'; text: string };
    let code = 200;
    try {
      const r = await decide(db, { pipeline, vboId: vbo, status: b.status ?? '', note: b.note ?? '', who: u.name, assignee: b.assignee?.trim() || null, expectVersion: Number(b.version), now: now() });
      message = { kind: 'ok', text: r.outcome === 'wacht-op-bevestiging' ? 'Vastgelegd; wacht op bevestiging door een tweede beoordelaar.' : r.outcome === 'bevestigd' ? 'Bevestigd en afgesloten.' : 'Besluit vastgelegd.' };
    } catch (err) {
      if (!(err instanceof InputError || err instanceof ReviewConflictError)) throw err;
      message = { kind: 'error', text: err instanceof ReviewConflictError ? `Conflict: iemand anders heeft deze registratie intussen gewijzigd. Bekijk de nieuwe stand en beslis opnieuw.` : err.message };
      code = err instanceof ReviewConflictError ? 409 : 400;
    }
    return html(reply, entryPage(u, reply.generateCsrf(), await entryDetail(db, pipeline, vbo), message), code);
  });
  app.get('/diff', async (req, reply) => {
    const u = await requireUser(req, reply);
    if (!u) return;
    const pipeline = await pipelineOf(req);
    const runs = await db.selectFrom('run').select('run_id').where('pipeline', '=', pipeline).where('finished_at', 'is not', null).orderBy('started_at', 'desc').limit(2).execute();
    const [b, a] = runs;
    const d = diffRuns(a?.run_id ?? null, a ? await runEntries(db, a.run_id) : [], b ? await runEntries(db, b.run_id) : []);
    return html(reply, diffPage(u, reply.generateCsrf(), b?.run_id ?? null, d));
  });
  app.get('/check', async (req, reply) => {
    const u = await requireUser(req, reply);
    if (!u) return;
    const q = req.query as Record<string, string>;
    if (!q.naam && !q.kvk) return html(reply, checkPage(u, reply.generateCsrf(), q, null));
    try {
      const geboortedatum = q.geboortedatum ? parseDate(q.geboortedatum) : null;
      if (q.geboortedatum && !geboortedatum) throw new InputError(`geboortedatum "${q.geboortedatum}" is geen datum`);
      const kvk = q.kvk?.replace(/\s/g, '') || null;
      if (kvk && !/^\d{8}$/.test(kvk)) throw new InputError('een KvK-nummer heeft 8 cijfers');
      const report = await runCheck({ db, query: { naam: q.naam?.trim() || null, geboortedatum, kvk, adres: null }, reden: q.reden || null, who: u.name, now });
      return html(reply, checkPage(u, reply.generateCsrf(), q, report));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return html(reply, checkPage(u, reply.generateCsrf(), q, null, err.message), 400);
    }
  });
  app.setNotFoundHandler(async (_req, reply) => reply.code(404).type('text/plain').send('Niet gevonden.'));
  app.setErrorHandler(async (err, _req, reply) => {
    const e = err as Error & { statusCode?: number };
    if (e instanceof InputError) return reply.code(400).type('text/plain').send(e.message);
    if (e.statusCode === 403) return reply.code(403).type('text/plain').send('Geweigerd: ongeldig of ontbrekend CSRF-token.');
    return reply.code(e.statusCode && e.statusCode < 500 ? e.statusCode : 500).type('text/plain').send(e.statusCode && e.statusCode < 500 ? 'Ongeldig verzoek.' : 'Interne fout.');
  });
  return app;
}
