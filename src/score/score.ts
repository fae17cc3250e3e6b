/**
 * Scoring: points per hit from the pipeline, summed per unit, banded. Pure functions.
 */
export type Band = 'hoog' | 'midden' | 'laag';

export interface Bands { hoog: number; midden: number }

/** The band of a score: `hoog` (≥ hoog), `midden` (≥ midden), `laag` (> 0); null for 0. */
export function bandOf(score: number, bands: Bands): Band | null {
  if (score >= bands.hoog) return 'hoog';
  if (score >= bands.midden) return 'midden';
  if (score > 0) return 'laag';
  return null;
}

export function scoreOf(hits: readonly { points: number }[]): number {
  return hits.reduce((sum, h) => sum + h.points, 0);
}

export const BAND_ORDER: readonly Band[] = ['hoog', 'midden', 'laag'];
