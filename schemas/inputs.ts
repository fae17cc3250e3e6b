/**
 * The input contracts (../shared/DATA-CONTRACT.md), one zod schema per CSV file. Types are inferred
 * from them; the screen never writes these shapes twice.
 */
import type { z } from 'zod';
import { contract } from './contract.ts';
import {
  aandeel, addressFields, amount, date, id, idList, kvkNummer, land, oneOf, required, text, unitReference,
  vestigingsnummer,
} from './fields.ts';

const address = { postcode: addressFields.postcode, huisnummer: addressFields.huisnummer, huisletter: addressFields.huisletter, toevoeging: addressFields.toevoeging };

export const soortPersoon = ['natuurlijk_persoon', 'niet_natuurlijk_persoon'] as const;

export const persoonSchema = contract({
  persoon_id: required(id),
  soort: required(oneOf(soortPersoon)),
  naam: required(text),
  geboortedatum: date,
  kvk_nummer: kvkNummer,
  rechtsvorm: text,
  land,
  ...address,
  plaats: text,
});
export type Persoon = z.infer<typeof persoonSchema>;

export const soortRecht = ['eigendom', 'erfpacht', 'opstal', 'vruchtgebruik', 'appartementsrecht'] as const;

export const rechtSchema = contract({
  recht_id: required(id),
  ...addressFields,
  kadastrale_aanduiding: text,
  soort_recht: required(oneOf(soortRecht)),
  persoon_id: required(id),
  aandeel,
  ingangsdatum: required(date),
  einddatum: date,
}, unitReference);
export type Recht = z.infer<typeof rechtSchema>;

export const transactieSchema = contract({
  transactie_id: required(id),
  ...addressFields,
  datum: required(date),
  koopsom: amount,
  koper_ids: required(idList),
  verkoper_ids: idList,
  meerdere_objecten: oneOf(['ja', 'nee'] as const),
}, unitReference);
export type Transactie = z.infer<typeof transactieSchema>;

export const hypotheekSchema = contract({
  hypotheek_id: required(id),
  ...addressFields,
  datum: required(date),
  bedrag: amount,
  hypotheekgever_id: id,
  hypotheekhouder_id: required(id),
  hypotheekhouder_type: oneOf(['bank', 'overig'] as const),
  einddatum: date,
}, unitReference);
export type Hypotheek = z.infer<typeof hypotheekSchema>;

export const wozSchema = contract({
  ...addressFields,
  peildatum: required(date),
  waarde: required(amount),
}, unitReference);
export type Woz = z.infer<typeof wozSchema>;

export const kvkSchema = contract({
  kvk_nummer: required(kvkNummer),
  vestigingsnummer,
  naam: required(text),
  rechtsvorm: text,
  datum_oprichting: date,
  datum_opheffing: date,
  sbi_codes: idList,
  ...addressFields,
  land,
});
export type Kvk = z.infer<typeof kvkSchema>;

export const aanvraagStatus = ['ingediend', 'verleend', 'geweigerd', 'ingetrokken'] as const;

const aanvraagFields = {
  aanvraag_id: required(id),
  soort: required(text),
  ...addressFields,
  aanvrager_naam: required(text),
  aanvrager_kvk: kvkNummer,
  aanvrager_geboortedatum: date,
  datum_aanvraag: required(date),
  status: oneOf(aanvraagStatus),
};

export const vergunningSchema = contract({
  ...aanvraagFields,
  soort: required(oneOf(['omgevingsvergunning', 'exploitatievergunning', 'alcoholwet', 'terras', 'overig'] as const)),
  gevraagd_gebruik: oneOf([
    'woonfunctie', 'bijeenkomstfunctie', 'celfunctie', 'gezondheidszorgfunctie', 'industriefunctie',
    'kantoorfunctie', 'logiesfunctie', 'onderwijsfunctie', 'sportfunctie', 'winkelfunctie',
    'overige gebruiksfunctie', 'horeca',
  ] as const),
}, unitReference);
export type Vergunning = z.infer<typeof vergunningSchema>;

export const subsidieSchema = contract({ ...aanvraagFields, bedrag: amount }, unitReference);
export type Subsidie = z.infer<typeof subsidieSchema>;

export const signaalSchema = contract({
  signaal_id: required(id),
  naam: required(text),
  kvk_nummer: kvkNummer,
  geboortedatum: date,
  bron: required(text),
  datum: required(date),
  omschrijving: text,
});
export type Signaal = z.infer<typeof signaalSchema>;

