/** How a check report says that a list shows only part of the rows (a bank's mortgages, a large portfolio). */
import { COUNT_CAP } from '../check/build-check-report.ts';

/** '' when the list is complete, else e.g. " (de nieuwste 100 van 2.345)". */
export function listedOf(listed: number, total: number, which = 'de nieuwste'): string {
  if (listed >= total) return '';
  const n = total > COUNT_CAP ? `meer dan ${COUNT_CAP.toLocaleString('nl-NL')}` : total.toLocaleString('nl-NL');
  return ` (${which} ${listed} van ${n})`;
}
