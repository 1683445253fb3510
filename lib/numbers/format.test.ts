import { describe, expect, it } from 'vitest';
import { astanaYearMonth, formatNumber, validateTemplate } from './index';

describe('number templates (X-10)', () => {
  it('X-10 fills {ORG} {SYS} {YYYY} {YY} {MM} {SEQ} {SEQ:n}', () => {
    expect(formatNumber('{ORG}-{YYYY}-{SEQ:6}', { ORG: 'KGE', YYYY: 2026, SEQ: 42 })).toBe('KGE-2026-000042');
    expect(formatNumber('{SYS}/{YY}{MM}/{SEQ}', { SYS: 'EXP', YYYY: 2026, MM: 3, SEQ: 7 })).toBe('EXP/2603/7');
    expect(formatNumber('№ {SEQ:3}-{YY}', { YYYY: 2105, SEQ: 5 })).toBe('№ 005-05');
    expect(formatNumber('ГЭ-{YYYY}-{SEQ:2}', { YYYY: 2026, SEQ: 1234 })).toBe('ГЭ-2026-1234'); // never truncated
  });

  it('X-10 validateTemplate accepts good templates', () => {
    expect(validateTemplate('{ORG}-{YYYY}-{SEQ:6}')).toEqual([]);
    expect(validateTemplate('{YY}.{SEQ}')).toEqual([]);
  });

  it('X-10 validateTemplate lists every problem', () => {
    expect(validateTemplate('')).toEqual(['The template is empty.']);
    expect(validateTemplate('{ORG}-{YYYY}')).toEqual(['The template must contain {SEQ} or {SEQ:n}.']);
    expect(validateTemplate('{ORG}-{SEQ:6}')).toEqual([
      'The template must contain the year ({YYYY} or {YY}): numbering restarts every year.',
    ]);
    expect(validateTemplate('{ORG}-{YYYY}-{NUM}-{SEQ}')[0]).toMatch(/Unknown placeholder \{NUM\}/);
    expect(validateTemplate('{org}-{YYYY}-{SEQ}')[0]).toMatch(/Unknown placeholder \{org\}/);
    expect(validateTemplate('{YYYY}-{SEQ:0}')).toEqual(['{SEQ:0}: the width must be from 1 to 12.']);
    expect(validateTemplate('{YYYY}-{SEQ:13}')).toHaveLength(1);
    expect(validateTemplate('{YYYY}-{SEQ}-{SEQ:3}')).toEqual(['The template must contain {SEQ} only once.']);
    expect(validateTemplate('{YYYY-{SEQ}')).toContain('Unbalanced { or } in the template.');
    expect(validateTemplate('{YYYY}}-{SEQ}')).toContain('Unbalanced { or } in the template.');
    expect(validateTemplate('{YYYY}<{SEQ}>')[0]).toMatch(/only letters, digits/);
    expect(validateTemplate(`{YYYY}-{SEQ}-${'x'.repeat(100)}`)[0]).toMatch(/longer than 100/);
  });

  it('X-10 formatNumber refuses invalid templates and missing values', () => {
    expect(() => formatNumber('{ORG}-{SEQ}', { ORG: 'A', YYYY: 2026, SEQ: 1 })).toThrow(/year/);
    expect(() => formatNumber('{ORG}-{YYYY}-{SEQ}', { YYYY: 2026, SEQ: 1 })).toThrow(/\{ORG\} is used/);
    expect(() => formatNumber('{MM}-{YYYY}-{SEQ}', { YYYY: 2026, SEQ: 1 })).toThrow(/\{MM\} is used/);
    expect(() => formatNumber('{YYYY}-{SEQ}', { YYYY: 2026, SEQ: 0 })).toThrow(/SEQ/);
    expect(() => formatNumber('{YYYY}-{SEQ}', { YYYY: 26, SEQ: 1 })).toThrow(/YYYY/);
    expect(() => formatNumber('{ORG}-{YYYY}-{SEQ}', { ORG: 'A{B}', YYYY: 2026, SEQ: 1 })).toThrow(/forbidden/);
  });

  it('X-10 the year of a number is the Astana year (UTC+5), whatever the server zone', () => {
    expect(astanaYearMonth(new Date('2025-12-31T18:59:59.999Z'))).toEqual({ year: 2025, month: 12 });
    expect(astanaYearMonth(new Date('2025-12-31T19:00:00.000Z'))).toEqual({ year: 2026, month: 1 });
    expect(astanaYearMonth(new Date('2025-12-31T20:00:00.000Z'))).toEqual({ year: 2026, month: 1 });
    expect(astanaYearMonth(new Date('2026-03-31T19:30:00.000Z'))).toEqual({ year: 2026, month: 4 });
  });
});
