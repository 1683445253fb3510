import { describe, expect, it } from 'vitest';
import { messagesByLocale } from './messages';

const { kk, ru, en } = messagesByLocale;

/** Every key path (arrays by index) with its value. */
function flatten(v: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) for (const [p, x] of flatten(child, prefix ? `${prefix}.${k}` : k)) out.set(p, x);
  } else out.set(prefix, v);
  return out;
}

const placeholders = (s: unknown) => (typeof s === 'string' ? [...s.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort() : []);

describe('messages', () => {
  const [fkk, fru, fen] = [flatten(kk), flatten(ru), flatten(en)];

  it('kk, ru and en have exactly the same keys', () => {
    expect([...fkk.keys()].sort()).toEqual([...fen.keys()].sort());
    expect([...fru.keys()].sort()).toEqual([...fen.keys()].sort());
  });

  it('no text is empty and every translation uses the same placeholders as English', () => {
    for (const [key, value] of fen) {
      for (const [name, other] of [['kk', fkk], ['ru', fru]] as const) {
        const v = other.get(key);
        expect(typeof v === 'string' && v.trim().length > 0, `${name}:${key}`).toBe(true);
        expect(placeholders(v), `${name}:${key}`).toEqual(placeholders(value));
      }
    }
  });

  it('Kazakh and Russian texts are written in Cyrillic, not left in English', () => {
    // Keys whose value is the same in every language (language names, the Latin product name in en only).
    const universal = new Set(['shell.languages.kk', 'shell.languages.ru', 'shell.languages.en']);
    for (const [key, value] of fen) {
      // Proper names and short technical labels (NCALayer, PKCS#12) may stay as they are.
      if (universal.has(key) || String(value).trim().split(/\s+/).length < 3) continue;
      // A pattern of placeholders and punctuation only ('{name} · {subject}') has no words to translate.
      if (!/\p{L}/u.test(String(value).replace(/\{[^}]*\}/g, ''))) continue;
      for (const [name, other] of [['kk', fkk], ['ru', fru]] as const) {
        const v = String(other.get(key));
        expect(/[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/.test(v), `${name}:${key} = ${v}`).toBe(true);
        expect(v, `${name}:${key}`).not.toBe(value);
      }
    }
  });

  it('Kazakh uses Kazakh-specific letters (a guard against Russian pasted into kk)', () => {
    const kazakhOnly = /[ӘәҒғҚқҢңӨөҰұҮүҺһІі]/;
    const texts = [...fkk.values()].filter((v) => typeof v === 'string' && v.length > 40);
    const withKazakhLetters = texts.filter((v) => kazakhOnly.test(String(v)));
    expect(withKazakhLetters.length / texts.length).toBeGreaterThan(0.9);
  });
});

describe('mergeMessages', () => {
  it('merges areas into namespaces and refuses a key defined twice', async () => {
    const { mergeMessages } = await import('./messages');
    expect(mergeMessages([{ a: { b: '1' } }, { a: { c: '2' } }])).toEqual({ a: { b: '1', c: '2' } });
    expect(() => mergeMessages([{ a: { b: '1' } }, { a: { b: '2' } }])).toThrow(/a\.b is defined twice/);
  });
});
