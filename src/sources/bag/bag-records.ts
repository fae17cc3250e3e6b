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

/** Statuses that mean an object does not (or no longer, or never did) exist. */
export function isCurrentStatus(status: string | null): boolean {
  if (status === null) return true;
  const s = status.toLowerCase();
  return !(s.includes('ingetrokken') || s.startsWith('niet gerealiseerd') || s.includes('gesloopt') || s.includes('ten onrechte opgevoerd'));
}

/** True when a voorkomen is the valid one on the peildatum: begin ≤ peildatum < eind. */
export function validOn(v: { begin: string; eind: string | null }, peildatum: string): boolean {
  return v.begin <= peildatum && (v.eind === null || peildatum < v.eind);
}
