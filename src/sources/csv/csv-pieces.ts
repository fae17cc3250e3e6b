/**
 * A CSV file's pieces as read: its bytes (UTF-8) or its text (decoded from Windows-1252), and where
 * lines end in them. Both line ends are one byte in UTF-8, so the same positions serve bytes and text.
 */

/** A piece of a CSV file: its bytes (UTF-8) or its text (decoded from Windows-1252). */
export type Piece = Buffer | string;

/**
 * Where the last complete line of `piece` ends (0 when none does). A carriage return as the last
 * character does not end a line yet: a "\n" may follow in the next piece, and "\r\n" is one line end.
 */
export function completeLinesEnd(piece: Piece, carriageReturns: boolean): number {
  const nl = piece.lastIndexOf('\n');
  if (!carriageReturns) return nl + 1;
  let cr = piece.lastIndexOf('\r');
  // (A negative start would count from the end of a Buffer, and be 0 for a string.)
  if (cr === piece.length - 1) cr = cr === 0 ? -1 : piece.lastIndexOf('\r', cr - 1);
  return Math.max(nl, cr) + 1;
}

/** Where the line holding position `at` of `piece` starts. */
export function lineStart(piece: Piece, at: number, carriageReturns: boolean): number {
  if (at === 0) return 0;
  const nl = piece.lastIndexOf('\n', at - 1);
  const cr = carriageReturns ? piece.lastIndexOf('\r', at - 1) : -1;
  return Math.max(nl, cr) + 1;
}

/**
 * Where the first line end at or after `from` ends (after "\r\n" both), or -1 where none does yet: a
 * carriage return as the last character may be the start of a "\r\n" until the file has ended.
 */
export function lineEndAfter(piece: Piece, from: number, carriageReturns: boolean, done: boolean): number {
  const nl = piece.indexOf('\n', from);
  const cr = carriageReturns ? piece.indexOf('\r', from) : -1;
  if (cr === -1 || (nl !== -1 && nl < cr)) return nl === -1 ? -1 : nl + 1;
  if (cr + 1 < piece.length) return piece[cr + 1] === (typeof piece === 'string' ? '\n' : 10) ? cr + 2 : cr + 1;
  return done ? cr + 1 : -1;
}

/** `piece` up to position `end`. */
export const slice = (piece: Piece, end: number): Piece => (typeof piece === 'string' ? piece.slice(0, end) : piece.subarray(0, end));

/** `piece` from position `at` on. */
export const rest = (piece: Piece, at: number): Piece => (typeof piece === 'string' ? piece.slice(at) : piece.subarray(at));

/** Pieces of one kind as one. */
export const join = (pieces: Piece[], bytes: boolean): Piece => (pieces.length === 0 ? (bytes ? Buffer.alloc(0) : '') : pieces.length === 1 ? pieces[0]! : bytes ? Buffer.concat(pieces as Buffer[]) : (pieces as string[]).join(''));

/** How often `what` occurs in `piece`. */
function countOf(piece: Piece, what: string): number {
  let n = 0;
  for (let at = piece.indexOf(what); at !== -1; at = piece.indexOf(what, at + 1)) n++;
  return n;
}

/** UTF-8 bytes of the fields in `piece` (a record or part of one), delimiters left out: what csv-parse's `max_record_size` counts. */
export function fieldBytes(piece: Piece, delimiter: string): number {
  return (typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.length) - countOf(piece, delimiter);
}
