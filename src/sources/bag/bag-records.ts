/**
 * The BAG objects the screen uses, one voorkomen (version in time) per record, as plain data.
 * Ids stay strings: every BAG id has meaningful leading zeros.
 */
export interface Geldigheid {
  voorkomen: number;
  begin: string;
  /** Exclusive end; `null` = still valid. */
  eind: string | null;
  status: string | null;
}

export interface VboVoorkomen extends Geldigheid {
  type: 'VBO';
  id: string;
  gebruiksdoelen: string[];
  oppervlakte: number | null;
  x: number | null;
  y: number | null;
  hoofdadres: string | null;
  nevenadressen: string[];
  panden: string[];
}

export interface NumVoorkomen extends Geldigheid {
  type: 'NUM';
  id: string;
  postcode: string | null;
  huisnummer: number | null;
  huisletter: string | null;
  toevoeging: string | null;
  oprId: string | null;
}

export interface OprVoorkomen extends Geldigheid {
  type: 'OPR';
  id: string;
  naam: string | null;
  wplId: string | null;
}

export interface WplVoorkomen extends Geldigheid {
  type: 'WPL';
  id: string;
  naam: string | null;
}

export interface PndVoorkomen extends Geldigheid {
  type: 'PND';
  id: string;
  bouwjaar: number | null;
}

/** A KenmerkInOnderzoek mark: one attribute of one object is under investigation. */
export interface InOnderzoek {
  type: 'IO';
  id: string;
  kenmerk: string;
  inOnderzoek: boolean;
  begin: string;
  eind: string | null;
}

export type BagRecord = VboVoorkomen | NumVoorkomen | OprVoorkomen | WplVoorkomen | PndVoorkomen | InOnderzoek;
