/**
 * JSON with object keys in sorted order and a trailing newline, so the same value always gives the
 * same bytes whatever order the code built it in.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/**
 * The same bytes as {@link stableJson}, in pieces of about one array element or object member each
 * (arrays and objects down to `depth` levels are opened up; below that a piece is stringified whole).
 * For files too large to hold twice: a national register's JSON is some 80 MB, and building it as one
 * string made a sorted copy of the whole register first (at 4M units +190 MB of peak RSS).
 */
export function* stableJsonChunks(value: unknown, depth = 2): Generator<string> {
  yield* chunks(value, '', depth);
  yield '\n';
}

function* chunks(value: unknown, indent: string, depth: number): Generator<string> {
  const inner = `${indent}  `;
  if (depth > 0 && Array.isArray(value) && value.length > 0) {
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      yield inner;
      // JSON.stringify writes undefined, functions and symbols in arrays as null.
      const v = value[i];
      yield* chunks(v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v, inner, depth - 1);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  if (depth > 0 && value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    // The order stableJson's sorted copy has: an object lists integer-like keys first, ascending.
    const order: Record<string, true> = {};
    for (const k of Object.keys(value).sort()) order[k] = true;
    const keys = Object.keys(order).filter((k) => {
      const v = (value as Record<string, unknown>)[k];
      return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
    });
    if (keys.length > 0) {
      yield '{\n';
      for (let i = 0; i < keys.length; i++) {
        yield `${inner}${JSON.stringify(keys[i])}: `;
        yield* chunks((value as Record<string, unknown>)[keys[i]!], inner, depth - 1);
        yield i < keys.length - 1 ? ',\n' : '\n';
      }
      yield `${indent}}`;
      return;
    }
  }
  // A leaf, or a subtree below `depth`: stringified whole and indented to its place (JSON strings
  // hold no raw line breaks, so every line break is the layout's).
  const text = `${JSON.stringify(sortKeys(value), null, 2)}`;
  yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
