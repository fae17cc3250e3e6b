/**
 * A small, strict XML parser for one extract record (`<sl:stand>…</sl:stand>`): elements by local
 * name, their text, no attributes kept. It checks what makes XML well-formed for this purpose (tags
 * balanced and properly named, attributes quoted, only the predefined and numeric character
 * references) and refuses any DTD. Measured on LVBAG VBO records it is several times faster than
 * fast-xml-parser with its validator (see the bench), which is what lets a national extract be read
 * in minutes.
 */
export interface XmlElement {
  /** Local name (namespace prefix dropped: files do not always use the same prefixes). */
  name: string;
  children: XmlElement[];
  text: string;
}

export class XmlRecordError extends Error {
  override readonly name = 'XmlRecordError';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function lineOf(xml: string, i: number): number {
  let n = 1;
  for (let j = 0; j < i; j++) if (xml.charCodeAt(j) === 10) n++;
  return n;
}

const NON_ASCII = /[\u0080-\u00ff]/;

/**
 * A text's characters. `bytes`: the record was read one byte per character (latin1), which decodes
 * several times faster than UTF-8 and keeps every tag where it was; the few texts with non-ASCII
 * bytes (a street called Hôtelstraat) are decoded as the UTF-8 they are here.
 */
function utf8Text(raw: string, bytes: boolean): string {
  return bytes && NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}

/** A text with its character references replaced (after `utf8Text`: a reference is a character, not a byte). */
function decode(xml: string, raw: string, at: number, bytes: boolean): string {
  const s = utf8Text(raw, bytes);
  if (s.indexOf('&') === -1) return s;
  return s.replace(/&([^;&\s]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new XmlRecordError(`bare "&" at line ${lineOf(xml, at)}`);
    if (ent in ENTITIES) return ENTITIES[ent]!;
    const num = /^#(\d+)$/.exec(ent) ?? /^#x([0-9a-fA-F]+)$/.exec(ent);
    if (num) {
      const code = parseInt(num[1]!, ent[1] === 'x' ? 16 : 10);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    }
    throw new XmlRecordError(`unknown entity "&${ent};" at line ${lineOf(xml, at)}`);
  });
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Only white space between i and end (indentation between tags: most text segments of a record). */
function blank(xml: string, i: number, end: number): boolean {
  for (let j = i; j < end; j++) if (!isSpace(xml.charCodeAt(j))) return false;
  return true;
}

function readName(xml: string, i: number): number {
  const c0 = xml.charCodeAt(i);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) return i;
  let j = i + 1;
  for (; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    // letters, digits, _ - . :
    if (!((c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46)) break;
  }
  return j;
}

/**
 * Parses one record; throws {@link XmlRecordError} with a line number when it is not well-formed.
 * With `bytes`, `xml` holds the record's UTF-8 bytes one per character (see `decode`).
 */
export function parseXmlRecord(xml: string, bytes = false): XmlElement {
  const root: XmlElement = { name: '#root', children: [], text: '' };
  const stack: { el: XmlElement; qname: string }[] = [{ el: root, qname: '' }];
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    // White space between tags is skipped: every text is read trimmed (textOf), so it changes nothing.
    if (textEnd > i && !blank(xml, i, textEnd)) {
      if (stack.length === 1) throw new XmlRecordError(`text outside the record element at line ${lineOf(xml, i)}`);
      stack[stack.length - 1]!.el.text += decode(xml, xml.slice(i, textEnd), i, bytes);
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 33 /* ! */ && xml.startsWith('<!--', lt)) {
      const e = xml.indexOf('-->', lt + 4);
      if (e === -1) throw new XmlRecordError(`unclosed comment at line ${lineOf(xml, lt)}`);
      i = e + 3;
      continue;
    }
    if (next === 33 && xml.startsWith('<![CDATA[', lt)) {
      const e = xml.indexOf(']]>', lt + 9);
      if (e === -1 || stack.length === 1) throw new XmlRecordError(`bad CDATA section at line ${lineOf(xml, lt)}`);
      stack[stack.length - 1]!.el.text += utf8Text(xml.slice(lt + 9, e), bytes);
      i = e + 3;
      continue;
    }
    if (next === 63 /* ? */) {
      const e = xml.indexOf('?>', lt + 2);
      if (e === -1) throw new XmlRecordError(`unclosed processing instruction at line ${lineOf(xml, lt)}`);
      i = e + 2;
      continue;
    }
    if (next === 33) throw new XmlRecordError(`declaration "<!" (DOCTYPE or ENTITY) at line ${lineOf(xml, lt)} is not allowed`);
    if (next === 47 /* / */) {
      const end = readName(xml, lt + 2);
      let j = end;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      const top = stack[stack.length - 1]!;
      // Compared in place: no string is cut for the (matching) end tag of every element.
      const matches = stack.length > 1 && end - (lt + 2) === top.qname.length && xml.startsWith(top.qname, lt + 2);
      if (xml.charCodeAt(j) === 62 /* > */ && matches) {
        stack.pop();
        i = j + 1;
        continue;
      }
      const qname = xml.slice(lt + 2, end);
      if (xml[j] !== '>') throw new XmlRecordError(`malformed end tag </${qname} at line ${lineOf(xml, lt)}`);
      if (stack.length === 1 || top.qname !== qname) throw new XmlRecordError(`end tag </${qname}> does not match <${top.qname || '(none)'}> at line ${lineOf(xml, lt)}`);
      stack.pop();
      i = j + 1;
      continue;
    }
    const end = readName(xml, lt + 1);
    if (end === lt + 1) throw new XmlRecordError(`"<" not followed by a tag name at line ${lineOf(xml, lt)}`);
    const qname = xml.slice(lt + 1, end);
    let j = end;
    // Attributes: name = "value" | 'value', separated by white space.
    for (;;) {
      const ws = j;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (xml[j] === '>' || (xml[j] === '/' && xml[j + 1] === '>')) break;
      if (j === ws || j >= n) throw new XmlRecordError(`malformed start tag <${qname} at line ${lineOf(xml, lt)}`);
      const an = readName(xml, j);
      if (an === j) throw new XmlRecordError(`malformed attribute in <${qname} at line ${lineOf(xml, lt)}`);
      j = an;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (xml[j] !== '=') throw new XmlRecordError(`attribute without value in <${qname} at line ${lineOf(xml, lt)}`);
      j++;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      const q = xml[j];
      if (q !== '"' && q !== "'") throw new XmlRecordError(`unquoted attribute value in <${qname} at line ${lineOf(xml, lt)}`);
      const close = xml.indexOf(q, j + 1);
      if (close === -1 || xml.slice(j + 1, close).includes('<')) throw new XmlRecordError(`unclosed attribute value in <${qname} at line ${lineOf(xml, lt)}`);
      j = close + 1;
    }
    const colon = qname.lastIndexOf(':');
    const el: XmlElement = { name: colon === -1 ? qname : qname.slice(colon + 1), children: [], text: '' };
    const parent = stack[stack.length - 1]!;
    if (stack.length === 1 && root.children.length > 0) throw new XmlRecordError(`a second top-level element <${qname}> at line ${lineOf(xml, lt)}`);
    parent.el.children.push(el);
    if (xml[j] === '/') i = j + 2;
    else {
      stack.push({ el, qname });
      i = j + 1;
    }
  }
  if (stack.length > 1) throw new XmlRecordError(`element <${stack[stack.length - 1]!.qname}> is never closed`);
  if (root.children.length !== 1) throw new XmlRecordError('the record holds no element');
  return root.children[0]!;
}

/** The first child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** Follows a path of local names. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** Trimmed text of an element; null when absent or empty. */
export function textOf(el: XmlElement | undefined): string | null {
  if (!el) return null;
  const t = el.text.trim();
  return t === '' ? null : t;
}

/** Texts of all children with this local name. */
export function texts(el: XmlElement | undefined, name: string): string[] {
  if (!el) return [];
  const out: string[] = [];
  for (const c of el.children) if (c.name === name) { const t = textOf(c); if (t !== null) out.push(t); }
  return out;
}
