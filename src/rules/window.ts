import { addMonths, dayNumber } from '../util/dates.ts';

/**
 * A look-back window counted back from the peildatum, as day numbers: from the same calendar day
 * `months` months earlier (inclusive) up to and including the peildatum. Events after the peildatum
 * are outside every window.
 */
export function lookBack(peildatum: string, months: number): { from: number; to: number; fromDate: string } {
  const fromDate = addMonths(peildatum, -months);
  return { from: dayNumber(fromDate), to: dayNumber(peildatum), fromDate };
}
