/**
 * CSV import of hourly history and weather (issue 6 part 5; W-17, W-23 normalisation): pure parsing and
 * validation, one reason per refused line. No I/O: whether an object or region exists and is in the user's scope
 * is checked by import.ts.
 *
 * Files: UTF-8 (a BOM is skipped), a header line naming the columns (any order, any case), separated by `,` or
 * `;` (taken from the header; with `;` a decimal comma is accepted), quoted fields as in RFC 4180.
 *   history: object, metric (flow | consumption), ts, value, unit
 *            flow in m3/h, l/s, m3/s, l/min, l/h; consumption (volume in the hour) in m3 or l → stored as m³ in the hour
 *   weather: region, ts, temperature, precipitation [, kind (observed | forecast), temperature_unit (C | F | K),
 *            precipitation_unit (mm | cm | in)] → °C and mm
 * Times: the start of the hour, `YYYY-MM-DD HH:mm[:ss]` or `YYYY-MM-DDTHH:mm[:ss]` in Astana local time, or with an
 * explicit offset (`Z`, `+05:00`); stored in UTC.
 * A line repeating an earlier line's key (object, metric, hour / region, kind, hour) with the same value is a
 * duplicate (skipped, counted); with another value it is refused as a conflict.
 */
import { HOUR_MS, fromLocalMs } from '@/lib/time/astana';
import { unitFactor } from '@/lib/water/normalize';

export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
export const MAX_IMPORT_LINES = 200_000;
/** Reasons kept per file (the count is always exact). */
export const MAX_REPORTED_ERRORS = 500;

export type LineError = { line: number; field: string | null; code: ImportErrorCode; message: string };
export type ImportErrorCode =
  | 'empty_file'
  | 'too_many_lines'
  | 'missing_column'
  | 'column_count'
  | 'required'
  | 'not_a_number'
  | 'bad_time'
  | 'not_whole_hour'
  | 'bad_metric'
  | 'bad_unit'
  | 'bad_kind'
  | 'out_of_range'
  | 'conflict'
  | 'unknown_object'
  | 'unknown_region';

export type HistoryRow = { line: number; object: string; metric: 'flow' | 'consumption'; ts: Date; volumeM3: number };
export type WeatherRow = { line: number; region: string; kind: 'observed' | 'forecast'; ts: Date; temperatureC: number; precipitationMm: number };

export type Parsed<R> = { rows: R[]; errors: LineError[]; errorCount: number; duplicates: number; lines: number };


/** Splits CSV text into records (RFC 4180 quotes; CRLF or LF), with the line number each record starts on. */
export function splitCsv(text: string, delimiter: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      any = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (any || fields.some((f) => f.trim() !== '')) out.push({ line: start, fields });
      fields = [];
      field = '';
      any = false;
      line++;
      start = line;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || field !== '') {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) out.push({ line: start, fields });
  }
  return out;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** An instant from an Astana local time or a time with an offset; null when it is not a valid time. */
export function parseImportTime(value: string): Date | null {
  const v = value.trim();
  const m = LOCAL.exec(v) ?? WITH_OFFSET.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(local).getUTCDate() !== d) return null; // 31 February
  if (m[7] === undefined) return new Date(fromLocalMs(local));
  if (m[7] === 'Z') return new Date(local);
  const sign = m[7][0] === '-' ? -1 : 1;
  const [oh, om] = [Number(m[7].slice(1, 3)), Number(m[7].slice(-2))];
  if (oh > 14 || om > 59) return null;
  return new Date(local - sign * (oh * 60 + om) * 60_000);
}

function parseNumber(raw: string, decimalComma: boolean): number | null {
  let v = raw.trim().replace(/[\s\u00a0]/g, '');
  if (decimalComma) v = v.replace(',', '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

type Header = { delimiter: string; columns: Map<string, number>; records: { line: number; fields: string[] }[] };

function readHeader(text: string, required: string[], errors: LineError[]): Header | null {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  const records = splitCsv(body, delimiter);
  if (records.length === 0) {
    errors.push({ line: 1, field: null, code: 'empty_file', message: 'The file is empty.' });
    return null;
  }
  const columns = new Map<string, number>();
  records[0].fields.forEach((f, i) => columns.set(f.trim().toLowerCase(), i));
  const missing = required.filter((c) => !columns.has(c));
  for (const c of missing) errors.push({ line: records[0].line, field: c, code: 'missing_column', message: `The header has no column "${c}".` });
  if (missing.length) return null;
  if (records.length - 1 > MAX_IMPORT_LINES) {
    errors.push({ line: records[MAX_IMPORT_LINES + 1].line, field: null, code: 'too_many_lines', message: `At most ${MAX_IMPORT_LINES} lines per file.` });
    return null;
  }
  return { delimiter, columns, records: records.slice(1) };
}

/** Collects the errors of one line (all of them, so the user fixes the line once). */
class Collector {
  errors: LineError[] = [];
  count = 0;
  add(line: number, field: string | null, code: ImportErrorCode, message: string) {
    this.count++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ line, field, code, message });
  }
}

function parseWith<R extends { line: number }>(
  text: string,
  required: string[],
  parseLine: (get: (c: string) => string | undefined, line: number, c: Collector, decimalComma: boolean) => R | null,
  key: (r: R) => string,
  same: (a: R, b: R) => boolean,
): Parsed<R> {
  const c = new Collector();
  const early: LineError[] = [];
  const header = readHeader(text, required, early);
  if (!header) return { rows: [], errors: early, errorCount: early.length, duplicates: 0, lines: 0 };
  const width = header.columns.size;
  const rows: R[] = [];
  const seen = new Map<string, R>();
  let duplicates = 0;
  for (const rec of header.records) {
    if (rec.fields.length !== width) {
      c.add(rec.line, null, 'column_count', `Expected ${width} fields, found ${rec.fields.length}.`);
      continue;
    }
    const get = (col: string) => {
      const i = header.columns.get(col);
      return i === undefined ? undefined : rec.fields[i].trim();
    };
    const before = c.count;
    const row = parseLine(get, rec.line, c, header.delimiter === ';');
    if (!row || c.count > before) continue;
    const k = key(row);
    const prev = seen.get(k);
    if (prev) {
      if (same(prev, row)) duplicates++;
      else c.add(rec.line, null, 'conflict', `Line ${prev.line} gives another value for the same hour.`);
      continue;
    }
    seen.set(k, row);
    rows.push(row);
  }
  return { rows, errors: c.errors, errorCount: c.count, duplicates, lines: header.records.length };
}

function hourStart(get: (c: string) => string | undefined, line: number, c: Collector): Date | null {
  const raw = get('ts');
  if (!raw) {
    c.add(line, 'ts', 'required', 'The time is missing.');
    return null;
  }
  const ts = parseImportTime(raw);
  if (!ts) {
    c.add(line, 'ts', 'bad_time', `"${raw}" is not a time (YYYY-MM-DD HH:mm, Astana time, or with an offset).`);
    return null;
  }
  if (ts.getTime() % HOUR_MS !== 0) {
    c.add(line, 'ts', 'not_whole_hour', 'The time must be the start of an hour (HH:00).');
    return null;
  }
  return ts;
}

const HISTORY_UNITS: Record<'flow' | 'consumption', (unit: string) => number | null> = {
  flow: (u) => unitFactor('flow', u),
  consumption: (u) => unitFactor('volume', u),
};

/** The hourly history CSV: object, metric, ts, value, unit. */
export function parseHistoryCsv(text: string): Parsed<HistoryRow> {
  return parseWith<HistoryRow>(
    text,
    ['object', 'metric', 'ts', 'value', 'unit'],
    (get, line, c, decimalComma) => {
      const object = get('object') ?? '';
      if (!object) c.add(line, 'object', 'required', 'The object is missing.');
      const metric = (get('metric') ?? '').toLowerCase();
      const okMetric = metric === 'flow' || metric === 'consumption';
      if (!okMetric) c.add(line, 'metric', 'bad_metric', `"${metric}" is not a metric (flow or consumption).`);
      const ts = hourStart(get, line, c);
      const raw = get('value') ?? '';
      const value = parseNumber(raw, decimalComma);
      if (raw === '') c.add(line, 'value', 'required', 'The value is missing.');
      else if (value === null) c.add(line, 'value', 'not_a_number', `"${raw}" is not a number.`);
      else if (value < 0) c.add(line, 'value', 'out_of_range', 'The value cannot be negative.');
      const unit = get('unit') ?? '';
      const factor = okMetric ? HISTORY_UNITS[metric](unit) : null;
      if (okMetric && factor === null) {
        c.add(line, 'unit', 'bad_unit', `"${unit}" is not a unit of ${metric} (${metric === 'flow' ? 'm3/h, l/s, m3/s, l/min, l/h' : 'm3, l'}).`);
      }
      if (!object || !okMetric || !ts || value === null || value < 0 || factor === null) return null;
      return { line, object, metric, ts, volumeM3: value * factor };
    },
    (r) => `${r.object.toLowerCase()}|${r.metric}|${r.ts.getTime()}`,
    (a, b) => Math.abs(a.volumeM3 - b.volumeM3) <= 1e-9 * Math.max(1, Math.abs(a.volumeM3)),
  );
}

const TEMPERATURE: Record<string, (v: number) => number> = {
  c: (v) => v,
  '°c': (v) => v,
  f: (v) => ((v - 32) * 5) / 9,
  '°f': (v) => ((v - 32) * 5) / 9,
  k: (v) => v - 273.15,
};
const PRECIPITATION: Record<string, number> = { mm: 1, cm: 10, in: 25.4 };

/** The hourly weather CSV: region, ts, temperature, precipitation [, kind, temperature_unit, precipitation_unit]. */
export function parseWeatherCsv(text: string): Parsed<WeatherRow> {
  return parseWith<WeatherRow>(
    text,
    ['region', 'ts', 'temperature', 'precipitation'],
    (get, line, c, decimalComma) => {
      const region = get('region') ?? '';
      if (!region) c.add(line, 'region', 'required', 'The region is missing.');
      const kind = (get('kind') || 'observed').toLowerCase();
      const okKind = kind === 'observed' || kind === 'forecast';
      if (!okKind) c.add(line, 'kind', 'bad_kind', `"${kind}" is not observed or forecast.`);
      const ts = hourStart(get, line, c);
      const tu = (get('temperature_unit') || 'C').toLowerCase();
      const toC = TEMPERATURE[tu];
      if (!toC) c.add(line, 'temperature_unit', 'bad_unit', `"${tu}" is not a temperature unit (C, F, K).`);
      const pu = (get('precipitation_unit') || 'mm').toLowerCase();
      const toMm = PRECIPITATION[pu];
      if (toMm === undefined) c.add(line, 'precipitation_unit', 'bad_unit', `"${pu}" is not a precipitation unit (mm, cm, in).`);
      const num = (col: string) => {
        const raw = get(col) ?? '';
        if (raw === '') {
          c.add(line, col, 'required', `The ${col} is missing.`);
          return null;
        }
        const n = parseNumber(raw, decimalComma);
        if (n === null) c.add(line, col, 'not_a_number', `"${raw}" is not a number.`);
        return n;
      };
      const t = num('temperature');
      const p = num('precipitation');
      const temperatureC = t !== null && toC ? Math.round(toC(t) * 1000) / 1000 : null;
      const precipitationMm = p !== null && toMm !== undefined ? p * toMm : null;
      if (temperatureC !== null && (temperatureC < -80 || temperatureC > 70)) {
        c.add(line, 'temperature', 'out_of_range', 'The temperature must lie between −80 and 70 °C.');
      }
      if (precipitationMm !== null && (precipitationMm < 0 || precipitationMm > 500)) {
        c.add(line, 'precipitation', 'out_of_range', 'The precipitation must lie between 0 and 500 mm in an hour.');
      }
      if (!region || !okKind || !ts || temperatureC === null || precipitationMm === null) return null;
      return { line, region, kind: kind as WeatherRow['kind'], ts, temperatureC, precipitationMm };
    },
    (r) => `${r.region.toLowerCase()}|${r.kind}|${r.ts.getTime()}`,
    (a, b) => Math.abs(a.temperatureC - b.temperatureC) < 1e-9 && Math.abs(a.precipitationMm - b.precipitationMm) < 1e-9,
  );
}
