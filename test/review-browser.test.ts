import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../src/db/open-engine.ts';
import { buildApp } from '../src/web/server.ts';
import { addUser } from '../src/review/users.ts';
import { haveChromium, launch } from './helpers/browser.ts';
import { dbTarget } from './helpers/db-target.ts';
import { ROOT, vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';

describe('the review pages in a browser', () => {
  it('logs in, filters the worklist, opens an entry, records a decision and sees it in the audit log', async () => {
    if (!haveChromium()) return;
    const work = tempDir();
    const db = dbTarget(work);
    expect(vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', join(work, 'out')]).code).toBe(0);
    const engine = await openEngine(db);
    await addUser(engine.db, 'anna', 'analist', 'wachtwoord-anna-1', '2026-11-29T00:00:00Z');
    const app = await buildApp({ engine });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await launch();
    const shots = process.env.VIB_UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : tempDir();
    mkdirSync(shots, { recursive: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${address}/`);
      expect(page.url()).toBe(`${address}/login`);
      await page.fill('input[name=name]', 'anna');
      await page.fill('input[name=password]', 'wachtwoord-anna-1');
      await page.click('button[type=submit]');
      await page.waitForURL(`${address}/`);
      const all = await page.locator('#worklist tbody tr').count();
      expect(all).toBe(49);
      await page.selectOption('#f-band', 'midden');
      await page.click('#apply');
      await page.waitForURL(/band=midden/);
      expect(await page.locator('#worklist tbody tr').count()).toBe(5);
      await page.selectOption('#f-band', '');
      await page.selectOption('#f-rule', 'ownership.portfolio-buildup');
      await page.click('#apply');
      await page.waitForURL(/rule=ownership.portfolio-buildup/);
      expect(await page.locator('#worklist tbody tr').count()).toBe(10);
      await page.screenshot({ path: join(shots, 'worklist.png') });

      await page.locator('#worklist tbody tr a').first().click();
      await page.waitForURL(/\/entry\//);
      await expect(page.locator('h2', { hasText: 'Treffers' }).count()).resolves.toBe(1);
      await page.selectOption('#d-status', 'doorverwezen');
      await page.fill('#d-assignee', 'anna');
      await page.fill('#d-note', 'Doorverwezen naar het RIEC Limburg');
      await page.click('#d-submit');
      await expect(page.locator('#message').textContent()).resolves.toBe('Besluit vastgelegd.');
      await expect(page.locator('#status').textContent()).resolves.toBe('Doorverwezen');
      const lastAudit = await page.locator('#audit tbody tr').last().textContent();
      expect(lastAudit).toContain('anna');
      expect(lastAudit).toContain('Doorverwezen naar het RIEC Limburg');
      await page.screenshot({ path: join(shots, 'entry.png'), fullPage: true });
    } finally {
      await browser.close();
      await app.close();
      await engine.close();
    }
  });
});
