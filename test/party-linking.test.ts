import { describe, expect, it } from 'vitest';
import { normaliseName } from '../src/link/names/normalise-name.ts';
import { compareNames } from '../src/link/names/compare-names.ts';
import fc from 'fast-check';
import { linkMentions, type Mention } from '../src/link/link-parties.ts';
import { hashedGroups } from '../src/link/hashed-groups.ts';

describe('normaliseName', () => {
  it('folds case, diacritics and punctuation', () => {
    expect(normaliseName('  JOSÉ  Ça-Va\'s ').core).toEqual(['jose', 'ca', 'vas']);
    expect(normaliseName('Bèr Smeets').compact).toBe(normaliseName('ber smeets').compact);
  });
  it('sets legal-form words aside, with or without dots', () => {
    for (const n of ['Maas Vastgoed B.V.', 'Maas Vastgoed BV', 'Maas Vastgoed b.v', 'Maas Vastgoed Holding B.V.', 'Maas Vastgoed Beheer', 'Stichting Maas Vastgoed', 'Maas Vastgoed N.V.', 'Maas Vastgoed V.O.F.']) {
      expect(normaliseName(n).core, n).toEqual(['maas', 'vastgoed']);
    }
    expect(normaliseName('Maas Vastgoed B.V.').legalForms).toEqual(['bv']);
  });
  it('reorders "Surname, Given" and splits initials', () => {
    const n = normaliseName('Claessens, R.J.');
    expect(n.reordered).toBe(true);
    expect(n.given).toEqual(['r', 'j']);
    expect(n.surname).toEqual(['claessens']);
    const t = normaliseName('Berg, Jan van den');
    expect(t.tokens).toEqual(['jan', 'van', 'den', 'berg']);
    expect(t.tussenvoegsels).toEqual(['van', 'den']);
    expect(t.surname).toEqual(['berg']);
    expect(normaliseName('Jansen, B.V.').reordered).toBe(false);
  });
  it('makes spacing differences equal', () => {
    expect(normaliseName('Maas Vastgoed').compact).toBe(normaliseName('Maasvastgoed').compact);
    expect(normaliseName('Jan van den Berg').compact).toBe(normaliseName('Jan Vandenberg').compact);
  });
});

describe('compareNames', () => {
  it('says why: equal after normalisation, legal form ignored, spacing ignored', () => {
    const c = compareNames('Maas Vastgoed B.V.', 'Maasvastgoed');
    expect(c).toMatchObject({ exact: true, score: 1 });
    expect(c.reasons).toEqual(['naam gelijk', 'rechtsvorm genegeerd', 'spatiering genegeerd']);
  });
  it('fits an initial to a given name', () => {
    const c = compareNames('R. Claessens', 'Roger Claessens', 'person');
    expect(c).toMatchObject({ exact: false, compatible: true });
    expect(c.reasons).toEqual(['achternaam gelijk', 'voorletter past bij voornaam']);
  });
  it('handles surname-first order and tussenvoegsels', () => {
    expect(compareNames('Berg, Jan van den', 'Jan van den Berg', 'person')).toMatchObject({ exact: true });
    expect(compareNames('J. van den Berg', 'Jan Berg', 'person')).toMatchObject({ compatible: true });
    expect(compareNames('J. van den Berg', 'Jan Berg', 'person').reasons).toContain('tussenvoegsel verschilt of ontbreekt');
  });
  it('keeps other given names apart', () => {
    expect(compareNames('Jan Smeets', 'Piet Smeets', 'person')).toMatchObject({ compatible: false });
    expect(compareNames('R. Claessens', 'Sandra Claessens', 'person')).toMatchObject({ compatible: false });
  });
});

const m = (source: string, id: string, naam: string, extra: Partial<Mention> = {}): Mention => ({ source, id, naam, kvk: null, geboortedatum: null, kind: 'unknown', ...extra });
const partyOf = (linked: Awaited<ReturnType<typeof linkMentions>>, key: string) => linked.find((l) => `${l.mention.source}:${l.mention.id}` === key)!;

describe('linkMentions', () => {
  it('links the same KvK number, whatever the names, and never two different KvK numbers', async () => {
    const linked = await linkMentions([
      m('personen.csv', 'A', 'Maas Vastgoed B.V.', { kvk: '12345678', kind: 'organisation' }),
      m('signalen.csv', 'S1', 'MV Holding', { kvk: '12345678' }),
      m('personen.csv', 'B', 'Maas Vastgoed B.V.', { kvk: '87654321', kind: 'organisation' }),
    ]);
    expect(partyOf(linked, 'signalen.csv:S1').party).toBe('personen.csv:A');
    expect(partyOf(linked, 'signalen.csv:S1').reason).toBe('KvK-nummer gelijk');
    expect(partyOf(linked, 'personen.csv:B').party).toBe('personen.csv:B');
  });

  it('links equal names when at most one side has a birth date', async () => {
    const linked = await linkMentions([
      m('personen.csv', 'P1', 'Jan Jansen', { geboortedatum: '1970-01-01', kind: 'person' }),
      m('vergunningen.csv', 'V1', 'Jansen, Jan'),
    ]);
    expect(partyOf(linked, 'vergunningen.csv:V1')).toMatchObject({ party: 'personen.csv:P1', reason: 'naam gelijk na normalisatie' });
  });

  it('never links namesakes whose birth dates differ', async () => {
    const linked = await linkMentions([
      m('personen.csv', 'P1', 'Jan Jansen', { geboortedatum: '1970-01-01', kind: 'person' }),
      m('personen.csv', 'P2', 'Jan Jansen', { geboortedatum: '1985-05-05', kind: 'person' }),
      m('signalen.csv', 'S1', 'Jan Jansen', { geboortedatum: '1985-05-05' }),
    ]);
    expect(partyOf(linked, 'personen.csv:P2').party).toBe('personen.csv:P2');
    expect(partyOf(linked, 'signalen.csv:S1').party).toBe('personen.csv:P2');
  });

  it('links initials to a given name only when both birth dates are known and equal', async () => {
    const linked = await linkMentions([
      m('personen.csv', 'P1', 'Roger Claessens', { geboortedatum: '1970-05-05', kind: 'person' }),
      m('personen.csv', 'P2', 'R. Claessens', { geboortedatum: '1970-05-05', kind: 'person' }),
      m('personen.csv', 'P3', 'R. Claessens', { kind: 'person' }),
      m('signalen.csv', 'S1', 'Claessens, Roger', { geboortedatum: '1966-01-01' }),
    ]);
    expect(partyOf(linked, 'personen.csv:P2').party).toBe('personen.csv:P1');
    expect(partyOf(linked, 'personen.csv:P2').reason).toMatch(/voorletter past bij voornaam; achternaam en geboortedatum gelijk/);
    // P3 has no birth date: "R. Claessens" is equal to P2's name, so that exact match links it.
    expect(partyOf(linked, 'personen.csv:P3').party).toBe('personen.csv:P1');
    // The signal has another birth date: never the same party.
    expect(partyOf(linked, 'signalen.csv:S1').party).toBe('signalen.csv:S1');
  });

  it('does not link a person and an organisation of the same name', async () => {
    const linked = await linkMentions([
      m('personen.csv', 'P1', 'Jan Jansen', { kind: 'person' }),
      m('personen.csv', 'C1', 'Jan Jansen', { kind: 'organisation', kvk: '11112222' }),
    ]);
    expect(partyOf(linked, 'personen.csv:C1').party).toBe('personen.csv:C1');
  });

  it('gives the same parties whatever the input order', async () => {
    const input = [
      m('personen.csv', 'P1', 'Roger Claessens', { geboortedatum: '1970-05-05', kind: 'person' }),
      m('personen.csv', 'P2', 'R. Claessens', { geboortedatum: '1970-05-05', kind: 'person' }),
      m('signalen.csv', 'S1', 'Maas Vastgoed', {}),
      m('personen.csv', 'A', 'Maas Vastgoed B.V.', { kvk: '12345678', kind: 'organisation' }),
    ];
    const a = (await linkMentions(input)).map((l) => [l.mention.id, l.party, l.reason]);
    const b = (await linkMentions([...input].reverse())).map((l) => [l.mention.id, l.party, l.reason]);
    expect(b).toEqual(a);
  });
});

describe('hashedGroups', () => {
  const collect = async <T>(it: AsyncIterable<{ members: number[]; items: T[] }>) => { const out: number[][] = []; for await (const g of it) out.push(g.members); return out; };

  it('groups equal numbers in the order of their first member, members ascending; 0 is no key', async () => {
    expect(await collect(hashedGroups(Uint32Array.from([7, 0, 3, 7, 3, 9, 7, 0])))).toEqual([[0, 3, 6], [2, 4]]);
    // Keys that differ only in their high or only in their low 16 bits (the radix sort's two passes).
    const high = 0x10000;
    expect(await collect(hashedGroups(Uint32Array.from([0xffffffff, high + 1, 1, high, 0xffffffff, 1, high, high + 1])))).toEqual([[0, 4], [1, 7], [2, 5], [3, 6]]);
  });

  it('finds the same groups as a plain grouping of random keys', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(0, 1, 2, 0xffff, 0x10000, 0x10001, 0xfffffffe, 0xffffffff), { maxLength: 80 }), async (list) => {
      const byKey = new Map<number, number[]>();
      list.forEach((k, i) => { if (k !== 0) byKey.set(k, [...(byKey.get(k) ?? []), i]); });
      const expected = [...byKey.values()].filter((m) => m.length > 1).sort((a, b) => a[0]! - b[0]!);
      expect(await collect(hashedGroups(Uint32Array.from(list)))).toEqual(expected);
    }), { seed: 20261130, numRuns: 300 });
  });

  it('splits colliding hashes by their real keys and keeps the order of first members', async () => {
    const keys = ['a', 'b', 'a', 'c', 'b', 'c', 'd'];
    const check = { fetch: async (m: readonly number[]) => m.map((i) => keys[i]!), keyOf: (k: string) => k };
    // One hash for all: three groups hide in one run; 'd' alone is no group.
    expect(await collect(hashedGroups(new Uint32Array(keys.length).fill(5), check, 2))).toEqual([[0, 2], [1, 4], [3, 5]]);
    // Two runs whose groups interleave: {0,2},{3,5} share a hash, {1,4} has its own.
    expect(await collect(hashedGroups(Uint32Array.from([1, 2, 1, 1, 2, 1, 3]), check))).toEqual([[0, 2], [1, 4], [3, 5]]);
  });
});

describe('linkMentions at random', () => {
  const surnames = ['Jansen', 'de Vries', 'van den Berg', 'Claessens', 'Smeets'];
  const given = ['Jan', 'J.', 'Roger', 'R.', 'Anna', 'A. M.'];
  const companies = ['Maas Vastgoed B.V.', 'Maasvastgoed', 'MV Holding', 'Limburg Beheer', 'Jansen B.V.'];
  const mention = fc.record({
    source: fc.constantFrom('personen.csv', 'kvk.csv', 'signalen.csv', 'omgevingsvergunning.csv'),
    id: fc.integer({ min: 1, max: 60 }).map(String),
    naam: fc.oneof(fc.tuple(fc.constantFrom(...given), fc.constantFrom(...surnames)).map(([g, s]) => `${g} ${s}`), fc.constantFrom(...companies)),
    kvk: fc.option(fc.constantFrom('12345678', '87654321', '01234567'), { freq: 3 }),
    geboortedatum: fc.option(fc.constantFrom('1970-05-05', '1985-01-31'), { freq: 2 }),
    kind: fc.constantFrom('person', 'organisation', 'unknown'),
  }) as fc.Arbitrary<Mention>;
  const input = fc.uniqueArray(mention, { selector: (m) => `${m.source}:${m.id}`, maxLength: 60 });
  const view = (l: Awaited<ReturnType<typeof linkMentions>>) => l.map((x) => [x.mention.source, x.mention.id, x.party, x.reason, x.kind]);

  it('gives the same parties whatever the hash (collisions are checked), the page size and the input order', async () => {
    await fc.assert(fc.asyncProperty(input, async (ms) => {
      const reference = view(await linkMentions(ms));
      // Pages of one and of seven mentions: a party's first mention is then mostly on an earlier page.
      expect(view(await linkMentions(ms, { pageSize: 1 }))).toEqual(reference);
      expect(view(await linkMentions(ms, { pageSize: 7 }))).toEqual(reference);
      expect(view(await linkMentions(ms, { hash: () => 0 }))).toEqual(reference);
      expect(view(await linkMentions(ms, { hash: (k) => k.length % 3 }))).toEqual(reference);
      expect(view(await linkMentions([...ms].reverse()))).toEqual(reference);
    }), { seed: 20261130, numRuns: 200 });
  });

  it('never puts two KvK numbers or two birth dates in one party', async () => {
    await fc.assert(fc.asyncProperty(input, async (ms) => {
      const byParty = new Map<string, { kvk: Set<string>; birth: Set<string> }>();
      for (const l of await linkMentions(ms)) {
        const p = byParty.get(l.party) ?? { kvk: new Set(), birth: new Set() };
        if (l.mention.kvk) p.kvk.add(l.mention.kvk);
        if (l.mention.geboortedatum) p.birth.add(l.mention.geboortedatum);
        byParty.set(l.party, p);
      }
      for (const p of byParty.values()) { expect(p.kvk.size).toBeLessThanOrEqual(1); expect(p.birth.size).toBeLessThanOrEqual(1); }
    }), { seed: 20261130, numRuns: 200 });
  });
});

describe('name facts on a thread of their own', () => {
  it('are the facts this thread computes, page after page, asked for ahead', async () => {
    const { nameFacts } = await import('../src/link/names/name-facts.ts');
    const { nameFactsInWorker } = await import('../src/link/names/name-facts-source.ts');
    const pages = [['Jan de Vries', 'Maas Vastgoed B.V.', 'Claessens, R.J.', ''], ['Bèr Smeets', 'J. van der Berg', 'ACME Holding']];
    const source = nameFactsInWorker();
    try {
      const asked = pages.map((p) => source.facts(p));
      for (const [k, p] of pages.entries()) expect(await asked[k]).toEqual(nameFacts(p));
      expect((await asked[0]!).organisation).toEqual(new Uint8Array([0, 1, 0, 0]));
    } finally {
      await source.close();
    }
  });

  it('fail with a message of their own when the thread ends while a page is asked for', async () => {
    const { nameFactsInWorker } = await import('../src/link/names/name-facts-source.ts');
    const source = nameFactsInWorker();
    // A page large enough that the thread is still at it when it is ended.
    const pending = source.facts(Array.from({ length: 300_000 }, (_, i) => `Naam ${i} van der Berg`));
    await source.close();
    await expect(pending).rejects.toThrow(/name normalisation thread failed/);
    await expect(source.facts(['Jan'])).rejects.toThrow(/name normalisation thread failed/);
  });
});
