import { describe, expect, it } from 'vitest';
import { locales } from '@/lib/i18n/config';
import { renderTemplate, TEMPLATES, type TemplateKind } from './templates';

const PARAMS = {
  number: 'BT-1',
  subject: 'S',
  at: new Date('2026-03-10T19:30:00Z'),
  organisation: 'O',
  reason: 'R',
  role: 'Q',
  document: 'D',
  entity: 'E',
  message: 'M',
};

describe('notification templates', () => {
  it('X-7 every kind has a non-empty kk, ru and en text that fills all its parameters', () => {
    for (const kind of Object.keys(TEMPLATES) as TemplateKind[]) {
      const texts = locales.map((l) => renderTemplate(kind, l, PARAMS));
      for (const r of texts) {
        expect(r.title.trim()).not.toBe('');
        expect(r.body.trim()).not.toBe('');
        expect(`${r.title} ${r.body}`).not.toMatch(/\{\w+\}/);
      }
      expect(new Set(texts.map((r) => r.title)).size, `${kind}: three different languages`).toBe(3);
    }
  });

  it('X-1 an instant in a notification is shown in Astana time with the zone, not the server zone', () => {
    // 19:30 UTC is 00:30 next day in Astana (UTC+5); the test process runs in America/New_York.
    const r = renderTemplate('account.deactivated', 'ru', { at: new Date('2026-03-10T19:30:00Z'), reason: 'срок полномочий истёк' });
    expect(r.body).toContain('11.03.2026 00:30 (время Астаны, UTC+5)');
    expect(renderTemplate('account.deactivated', 'en', { at: new Date('2026-03-10T19:30:00Z'), reason: 'x' }).body).toContain('11.03.2026 00:30 (Astana, UTC+5)');
  });

  it('X-7 a missing parameter is an error, and an unknown locale falls back to the portal default (kk)', () => {
    expect(() => renderTemplate('receipt', 'en', { number: 'BT-1' })).toThrow("parameter 'subject' is missing");
    expect(renderTemplate('document.to_sign', 'de', { document: 'D' }).title).toBe(TEMPLATES['document.to_sign'].kk.title);
  });
});
