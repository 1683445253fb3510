import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_LINES, parseHistoryCsv, parseImportTime, parseWeatherCsv, splitCsv } from './csv';

const OBJ = '6aee7706-8ea7-4651-a449-48f9e242e49e';

describe('CSV import parsing (W-23 normalisation for the W-28 forecast inputs)', () => {
  it('W-23 Astana local times become UTC; explicit offsets are honoured; only whole hours and real dates pass', () => {
    expect(parseImportTime('2025-06-01 10:00')!.toISOString()).toBe('2025-06-01T05:00:00.000Z');
    expect(parseImportTime('2025-06-01T00:00:00')!.toISOString()).toBe('2025-05-31T19:00:00.000Z');
    // before 1 March 2024 Astana was at UTC+6 (lib/time)
    expect(parseImportTime('2024-01-15 06:00')!.toISOString()).toBe('2024-01-15T00:00:00.000Z');
    expect(parseImportTime('2025-06-01T10:00:00Z')!.toISOString()).toBe('2025-06-01T10:00:00.000Z');
    expect(parseImportTime('2025-06-01T10:00+03:00')!.toISOString()).toBe('2025-06-01T07:00:00.000Z');
    expect(parseImportTime('2025-02-30 10:00')).toBeNull();
    expect(parseImportTime('2025-06-01 24:00')).toBeNull();
    expect(parseImportTime('01.06.2025 10:00')).toBeNull();
    expect(parseImportTime('yesterday')).toBeNull();
  });

  it('W-23 a good history file: units converted to m³ in the hour, any column order, quotes, CRLF, BOM', () => {
    const csv =
      '\ufeffTS,Object,metric,VALUE,unit\r\n' +
      `2025-06-01 10:00,${OBJ},flow,120,m3/h\r\n` +
      `2025-06-01 11:00,${OBJ},flow,10,l/s\r\n` +
      `"2025-06-01 12:00","${OBJ}",consumption,"95000",l\r\n` +
      '\r\n';
    const p = parseHistoryCsv(csv);
    expect(p.errors).toEqual([]);
    expect(p.lines).toBe(3);
    expect(p.rows.map((r) => [r.line, r.metric, r.ts.toISOString(), r.volumeM3])).toEqual([
      [2, 'flow', '2025-06-01T05:00:00.000Z', 120],
      [3, 'flow', '2025-06-01T06:00:00.000Z', 36],
      [4, 'consumption', '2025-06-01T07:00:00.000Z', 95],
    ]);
  });

  it('W-23 semicolon files (Excel, ru/kk locale) take a decimal comma', () => {
    const p = parseHistoryCsv(`object;metric;ts;value;unit\n${OBJ};flow;2025-06-01 10:00;12,5;m3/h\n`);
    expect(p.errors).toEqual([]);
    expect(p.rows[0].volumeM3).toBe(12.5);
  });

  it('W-23 bad lines are refused with a reason per field and line; every error of a line is reported', () => {
    const csv = [
      'object,metric,ts,value,unit',
      `${OBJ},flow,2025-06-01 10:00,120,m3/h`, // good
      `${OBJ},pressure,2025-06-01 10:30,abc,bar`, // metric, not whole hour, number
      `${OBJ},flow,2025-06-01 11:00,-3,m3/h`, // negative
      `${OBJ},flow,2025-06-01 12:00,5,kg`, // unit
      `,consumption,,7,m3`, // object and time missing
      `${OBJ},flow,2025-06-01 13:00,5`, // a field short
    ].join('\n');
    const p = parseHistoryCsv(csv);
    expect(p.rows).toHaveLength(1);
    expect(p.errorCount).toBe(8);
    expect(p.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [3, 'metric', 'bad_metric'],
      [3, 'ts', 'not_whole_hour'],
      [3, 'value', 'not_a_number'],
      [4, 'value', 'out_of_range'],
      [5, 'unit', 'bad_unit'],
      [6, 'object', 'required'],
      [6, 'ts', 'required'],
      [7, null, 'column_count'],
    ]);
  });

  it('W-23 a repeated line is a duplicate (skipped); the same hour with another value is a conflict', () => {
    const csv = [
      'object,metric,ts,value,unit',
      `${OBJ},flow,2025-06-01 10:00,120,m3/h`,
      `${OBJ},flow,2025-06-01T05:00:00Z,120,m3/h`, // the same hour written in UTC, same value
      `${OBJ.toUpperCase()},flow,2025-06-01 10:00,0.12,m3/h`, // same key, other value
      `${OBJ},consumption,2025-06-01 10:00,120,m3`, // another metric: not a duplicate
    ].join('\n');
    const p = parseHistoryCsv(csv);
    expect(p.rows).toHaveLength(2);
    expect(p.duplicates).toBe(1);
    expect(p.errors).toEqual([expect.objectContaining({ line: 4, code: 'conflict' })]);
  });

  it('W-23 missing columns, empty files and files over the line limit are refused as a whole', () => {
    expect(parseHistoryCsv('object,ts,value\n').errors.map((e) => [e.field, e.code])).toEqual([
      ['metric', 'missing_column'],
      ['unit', 'missing_column'],
    ]);
    expect(parseWeatherCsv('').errors[0].code).toBe('empty_file');
    const big = ['region,ts,temperature,precipitation', ...Array.from({ length: MAX_IMPORT_LINES + 1 }, () => 'x,2025-06-01 10:00,1,0')].join('\n');
    expect(parseWeatherCsv(big).errors[0].code).toBe('too_many_lines');
  });

  it('W-23 weather: °F and K to °C, cm and inches to mm, kind observed by default; ranges checked', () => {
    const csv = [
      'region,ts,temperature,precipitation,kind,temperature_unit,precipitation_unit',
      '710000000,2025-06-01 10:00,20,0.5,,,',
      '710000000,2025-06-01 11:00,68,0.1,forecast,F,cm',
      '710000000,2025-06-01 12:00,293.15,0.1,observed,K,in',
      '710000000,2025-06-01 13:00,90,0,observed,C,mm', // out of range
      '710000000,2025-06-01 14:00,10,-1,observed,C,mm', // negative rain
      '710000000,2025-06-01 15:00,10,1,guess,X,ft',
    ].join('\n');
    const p = parseWeatherCsv(csv);
    expect(p.rows.map((r) => [r.kind, r.ts.toISOString(), r.temperatureC, Number(r.precipitationMm.toFixed(3))])).toEqual([
      ['observed', '2025-06-01T05:00:00.000Z', 20, 0.5],
      ['forecast', '2025-06-01T06:00:00.000Z', 20, 1],
      ['observed', '2025-06-01T07:00:00.000Z', 20, 2.54],
    ]);
    expect(p.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [5, 'temperature', 'out_of_range'],
      [6, 'precipitation', 'out_of_range'],
      [7, 'kind', 'bad_kind'],
      [7, 'temperature_unit', 'bad_unit'],
      [7, 'precipitation_unit', 'bad_unit'],
    ]);
  });

  it('W-23 the CSV splitter keeps quoted delimiters, quotes and line breaks inside a field', () => {
    expect(splitCsv('a,"b,c","say ""hi""","x\ny"\n1,2,3,4', ',')).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"', 'x\ny'] },
      { line: 3, fields: ['1', '2', '3', '4'] },
    ]);
  });
});
