/**
 * Spreadsheet formula injection: a cell that begins with `=`, `+`, `-`, `@`, tab or carriage return
 * is run as a formula by Excel and LibreOffice. Such text cells get a leading apostrophe, which the
 * spreadsheet shows as plain text. Numbers are left alone.
 */
export function neutraliseFormula(value: string | number | null): string | number | null {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
