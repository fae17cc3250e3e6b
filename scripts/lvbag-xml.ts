/**
 * Writes synthetic LVBAG 2.0 extract XML ("extract-deelbestand-lvc") in the structure of the real
 * Kadaster files in ../shared/samples/bag/. Used by the demo-fixture generator and the bench.
 */
export interface Voorkomen { voorkomen: number; begin: string; eind?: string | null }

const NS = `xmlns:DatatypenNEN3610="www.kadaster.nl/schemas/lvbag/imbag/datatypennen3610/v20200601" xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:Historie="www.kadaster.nl/schemas/lvbag/imbag/historie/v20200601" xmlns:Objecten-ref="www.kadaster.nl/schemas/lvbag/imbag/objecten-ref/v20200601" xmlns:nen5825="www.kadaster.nl/schemas/lvbag/imbag/nen5825/v20200601" xmlns:KenmerkInOnderzoek="www.kadaster.nl/schemas/lvbag/imbag/kenmerkinonderzoek/v20200601" xmlns:selecties-extract="http://www.kadaster.nl/schemas/lvbag/extract-selecties/v20200601" xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601" xmlns:sl="http://www.kadaster.nl/schemas/standlevering-generiek/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"`;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function fileHeader(gemeente: string, objectType: string, standDatum: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<sl-bag-extract:bagStand ${NS}>
    <sl-bag-extract:bagInfo>
        <selecties-extract:Gebied-Registratief><selecties-extract:Gebied-GEM><selecties-extract:GemeenteCollectie><selecties-extract:Gemeente><selecties-extract:GemeenteIdentificatie>${gemeente}</selecties-extract:GemeenteIdentificatie></selecties-extract:Gemeente></selecties-extract:GemeenteCollectie></selecties-extract:Gebied-GEM></selecties-extract:Gebied-Registratief>
        <selecties-extract:LVC-Extract><selecties-extract:StandTechnischeDatum>${standDatum}</selecties-extract:StandTechnischeDatum></selecties-extract:LVC-Extract>
    </sl-bag-extract:bagInfo>
    <sl:standBestand>
        <sl:dataset>LVBAG</sl:dataset>
        <sl:inhoud><sl:gebied>GEMEENTE</sl:gebied><sl:leveringsId>0000000001</sl:leveringsId><sl:objectTypen><sl:objectType>${objectType}</sl:objectType></sl:objectTypen></sl:inhoud>
`;
}

export const FILE_FOOTER = `    </sl:standBestand>
</sl-bag-extract:bagStand>
`;

function voorkomenXml(v: Voorkomen): string {
  const eind = v.eind ? `<Historie:eindGeldigheid>${v.eind}</Historie:eindGeldigheid>` : '';
  return `<Objecten:voorkomen><Historie:Voorkomen><Historie:voorkomenidentificatie>${v.voorkomen}</Historie:voorkomenidentificatie><Historie:beginGeldigheid>${v.begin}</Historie:beginGeldigheid>${eind}<Historie:tijdstipRegistratie>${v.begin}T09:00:00.000</Historie:tijdstipRegistratie><Historie:BeschikbaarLV><Historie:tijdstipRegistratieLV>${v.begin}T09:05:00.000</Historie:tijdstipRegistratieLV></Historie:BeschikbaarLV></Historie:Voorkomen></Objecten:voorkomen>`;
}

function stand(inner: string): string {
  return `        <sl:stand><sl-bag-extract:bagObject>${inner}</sl-bag-extract:bagObject></sl:stand>\n`;
}

export function vboXml(o: Voorkomen & { id: string; hoofdadres: string; nevenadressen?: string[]; gebruiksdoelen: string[]; oppervlakte: number; x: number; y: number; pand: string; status?: string }): string {
  const neven = (o.nevenadressen ?? []).map((n) => `<Objecten:heeftAlsNevenadres><Objecten-ref:NummeraanduidingRef domein="NL.IMBAG.Nummeraanduiding">${n}</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsNevenadres>`).join('');
  return stand(`<Objecten:Verblijfsobject><Objecten:heeftAlsHoofdadres><Objecten-ref:NummeraanduidingRef domein="NL.IMBAG.Nummeraanduiding">${o.hoofdadres}</Objecten-ref:NummeraanduidingRef></Objecten:heeftAlsHoofdadres>${voorkomenXml(o)}${neven}<Objecten:identificatie domein="NL.IMBAG.Verblijfsobject">${o.id}</Objecten:identificatie><Objecten:geometrie><Objecten:punt><gml:Point srsName="urn:ogc:def:crs:EPSG::28992" srsDimension="3"><gml:pos>${o.x.toFixed(3)} ${o.y.toFixed(3)} 0.0</gml:pos></gml:Point></Objecten:punt></Objecten:geometrie>${o.gebruiksdoelen.map((g) => `<Objecten:gebruiksdoel>${g}</Objecten:gebruiksdoel>`).join('')}<Objecten:oppervlakte>${o.oppervlakte}</Objecten:oppervlakte><Objecten:status>${o.status ?? 'Verblijfsobject in gebruik'}</Objecten:status><Objecten:geconstateerd>N</Objecten:geconstateerd><Objecten:documentdatum>${o.begin}</Objecten:documentdatum><Objecten:documentnummer>DEMO-${o.id}-${o.voorkomen}</Objecten:documentnummer><Objecten:maaktDeelUitVan><Objecten-ref:PandRef domein="NL.IMBAG.Pand">${o.pand}</Objecten-ref:PandRef></Objecten:maaktDeelUitVan></Objecten:Verblijfsobject>`);
}

export function numXml(o: Voorkomen & { id: string; postcode: string; huisnummer: number; huisletter?: string | null; toevoeging?: string | null; opr: string }): string {
  const letter = o.huisletter ? `<Objecten:huisletter>${o.huisletter}</Objecten:huisletter>` : '';
  const toev = o.toevoeging ? `<Objecten:huisnummertoevoeging>${o.toevoeging}</Objecten:huisnummertoevoeging>` : '';
  return stand(`<Objecten:Nummeraanduiding><Objecten:identificatie domein="NL.IMBAG.Nummeraanduiding">${o.id}</Objecten:identificatie><Objecten:huisnummer>${o.huisnummer}</Objecten:huisnummer>${letter}${toev}<Objecten:postcode>${o.postcode}</Objecten:postcode><Objecten:typeAdresseerbaarObject>Verblijfsobject</Objecten:typeAdresseerbaarObject><Objecten:status>Naamgeving uitgegeven</Objecten:status><Objecten:geconstateerd>N</Objecten:geconstateerd><Objecten:documentdatum>${o.begin}</Objecten:documentdatum><Objecten:documentnummer>DEMO-${o.id}</Objecten:documentnummer>${voorkomenXml(o)}<Objecten:ligtAan><Objecten-ref:OpenbareRuimteRef domein="NL.IMBAG.Openbareruimte">${o.opr}</Objecten-ref:OpenbareRuimteRef></Objecten:ligtAan></Objecten:Nummeraanduiding>`);
}

export function oprXml(o: Voorkomen & { id: string; naam: string; wpl: string }): string {
  return stand(`<Objecten:OpenbareRuimte><Objecten:identificatie domein="NL.IMBAG.Openbareruimte">${o.id}</Objecten:identificatie><Objecten:naam>${esc(o.naam)}</Objecten:naam><Objecten:type>Weg</Objecten:type><Objecten:status>Naamgeving uitgegeven</Objecten:status><Objecten:geconstateerd>N</Objecten:geconstateerd><Objecten:documentdatum>${o.begin}</Objecten:documentdatum><Objecten:documentnummer>DEMO-${o.id}</Objecten:documentnummer><Objecten:ligtIn><Objecten-ref:WoonplaatsRef domein="NL.IMBAG.Woonplaats">${o.wpl}</Objecten-ref:WoonplaatsRef></Objecten:ligtIn>${voorkomenXml(o)}</Objecten:OpenbareRuimte>`);
}

export function wplXml(o: Voorkomen & { id: string; naam: string }): string {
  return stand(`<Objecten:Woonplaats><Objecten:identificatie domein="NL.IMBAG.Woonplaats">${o.id}</Objecten:identificatie><Objecten:naam>${esc(o.naam)}</Objecten:naam><Objecten:status>Woonplaats aangewezen</Objecten:status><Objecten:geconstateerd>N</Objecten:geconstateerd><Objecten:documentdatum>${o.begin}</Objecten:documentdatum><Objecten:documentnummer>DEMO-${o.id}</Objecten:documentnummer>${voorkomenXml(o)}</Objecten:Woonplaats>`);
}

export function pndXml(o: Voorkomen & { id: string; bouwjaar: number; x: number; y: number }): string {
  const r = (dx: number, dy: number) => `${(o.x + dx).toFixed(3)} ${(o.y + dy).toFixed(3)} 0.0`;
  const ring = [r(-5, -5), r(5, -5), r(5, 5), r(-5, 5), r(-5, -5)].join(' ');
  return stand(`<Objecten:Pand><Objecten:identificatie domein="NL.IMBAG.Pand">${o.id}</Objecten:identificatie><Objecten:geometrie><gml:Polygon srsName="urn:ogc:def:crs:EPSG::28992" srsDimension="3"><gml:exterior><gml:LinearRing><gml:posList count="5">${ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></Objecten:geometrie><Objecten:oorspronkelijkBouwjaar>${o.bouwjaar}</Objecten:oorspronkelijkBouwjaar><Objecten:status>Pand in gebruik</Objecten:status><Objecten:geconstateerd>N</Objecten:geconstateerd><Objecten:documentdatum>${o.begin}</Objecten:documentdatum><Objecten:documentnummer>DEMO-${o.id}</Objecten:documentnummer>${voorkomenXml(o)}</Objecten:Pand>`);
}

export function inOnderzoekXml(o: { vbo: string; kenmerk: string; begin: string }): string {
  return `        <sl:stand><sl-bag-extract:kenmerkInOnderzoek><KenmerkInOnderzoek:KenmerkVerblijfsobjectInOnderzoek><KenmerkInOnderzoek:kenmerk>${o.kenmerk}</KenmerkInOnderzoek:kenmerk><KenmerkInOnderzoek:identificatieVanVerblijfsobject domein="NL.IMBAG.Verblijfsobject">${o.vbo}</KenmerkInOnderzoek:identificatieVanVerblijfsobject><KenmerkInOnderzoek:inOnderzoek>J</KenmerkInOnderzoek:inOnderzoek><KenmerkInOnderzoek:documentdatum>${o.begin}</KenmerkInOnderzoek:documentdatum><KenmerkInOnderzoek:documentnummer>DEMO-IO</KenmerkInOnderzoek:documentnummer><KenmerkInOnderzoek:historieInOnderzoek><Historie:HistorieInOnderzoek><Historie:tijdstipRegistratie>${o.begin}T10:00:00.000</Historie:tijdstipRegistratie><Historie:beginGeldigheid>${o.begin}</Historie:beginGeldigheid><Historie:BeschikbaarLVInOnderzoek><Historie:tijdstipRegistratieLV>${o.begin}T10:05:00.000</Historie:tijdstipRegistratieLV></Historie:BeschikbaarLVInOnderzoek></Historie:HistorieInOnderzoek></KenmerkInOnderzoek:historieInOnderzoek></KenmerkInOnderzoek:KenmerkVerblijfsobjectInOnderzoek></sl-bag-extract:kenmerkInOnderzoek></sl:stand>\n`;
}

/**
 * A record (as the functions above write it, on one line) laid out as Kadaster's extract files are
 * (see ../shared/samples/bag/nlextract-doesburg-0221, whose structure NLExtract kept byte for byte):
 * every element on a line of its own, indented four spaces a level from the record's eight, an
 * element that holds only text on one line with it.
 */
export function indentedRecord(record: string): string {
  const tokens = record.trim().match(/<[^>]*>|[^<]+/g) ?? [];
  const out: string[] = [];
  let depth = 2;
  const line = (s: string) => out.push(`${'    '.repeat(depth)}${s}\n`);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.startsWith('</')) { depth--; line(t); continue; }
    if (!t.startsWith('<')) { line(t); continue; } // text beside elements: none in these records
    if (t.endsWith('/>')) { line(t); continue; }
    const text = tokens[k + 1];
    if (text !== undefined && !text.startsWith('<') && tokens[k + 2]?.startsWith('</')) {
      line(`${t}${text}${tokens[k + 2]}`);
      k += 2;
      continue;
    }
    line(t);
    depth++;
  }
  return out.join('');
}
