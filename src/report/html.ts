/**
 * Escaping for every HTML the tool writes: all data goes through `esc` (text and attribute values
 * alike), so a name like `<script>` or `"onload=` is shown, never run.
 */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A Content-Security-Policy for stand-alone report files: nothing is fetched from anywhere. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Euros, Dutch style, without locale lookups (deterministic). */
export function euroText(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  const [int, dec] = Math.abs(n).toFixed(2).split('.');
  return `${n < 0 ? '-' : ''}€ ${int!.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}${dec === '00' ? '' : `,${dec}`}`;
}
