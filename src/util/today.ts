/**
 * Today's date in the Netherlands (`YYYY-MM-DD`), whatever the machine's time zone: a peildatum of
 * `today` means the Dutch calendar day, resolved once when a run starts and then recorded.
 */
export function todayInNetherlands(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
