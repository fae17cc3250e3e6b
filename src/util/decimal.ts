/** Exact powers of ten as doubles (10^22 is the last one a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Bytes as the text `Number` reads: a byte a character. */
function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', from, to);
}

/**
 * `Number` of the text the bytes b[from, to) spell (a byte a character), read digit by digit where
 * it is a plain decimal ("-176543.123", "50") of at most 15 digits: its digits as an integer m (exact
 * below 2^53) divided by 10^k (exact up to 10^22) is the double nearest the decimal, as Number gives
 * it (one correctly rounded division). Anything else (an exponent, a sign "+", more digits, white
 * space) goes to Number itself.
 *
 * The BAG reader reads a few numbers of every voorkomen (a VBO's point, area and voorkomen number),
 * from the XML's bytes: Number's conversion of a string through V8's runtime took more time than the
 * rest of a point, and making the string (a substring of a chunk's text, or of its bytes) nearly as
 * much again.
 */
export function decimal(b: Uint8Array, from = 0, to = b.length): number {
  let i = from;
  const neg = b[i] === 45; // -
  if (neg) i++;
  let m = 0;
  let digits = 0;
  let scale = -1;
  for (; i < to; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); digits++; }
    else if (c === 46 && scale === -1) scale = to - i - 1; // .
    else return Number(latin1(b, from, to));
  }
  if (digits === 0 || digits > 15) return Number(latin1(b, from, to));
  const v = scale > 0 ? m / POW10[scale]! : m;
  return neg ? -v : v;
}
