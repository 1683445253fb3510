import { describe, expect, it } from 'vitest';
import { RECOMMENDATIONS, recommendationsFor } from './recommendations';
import { ALERT_TYPES } from './types';

const KAZAKH_LETTERS = /[әғқңөұүһі]/i;
const CYRILLIC = /[а-яё]/i;
const LATIN_WORD = /[a-z]{3,}/i;

describe('recommendations (W-31)', () => {
  it('W-31 every alert type has a title and at least one recommended action in kk, ru and en', () => {
    expect(Object.keys(RECOMMENDATIONS).sort()).toEqual([...ALERT_TYPES].sort());
    for (const type of ALERT_TYPES) {
      const e = RECOMMENDATIONS[type];
      expect(e.actions.length, type).toBeGreaterThan(0);
      for (const t of [e.title, ...e.actions.map((a) => a.text)]) {
        expect(t.en, type).toMatch(LATIN_WORD);
        expect(t.ru, type).toMatch(CYRILLIC);
        expect(t.kk, type).toMatch(CYRILLIC);
        expect(t.kk, type).not.toBe(t.ru);
      }
      // each type's Kazakh text is really Kazakh (uses letters Russian lacks), the Russian has none of them
      expect(e.actions.map((a) => a.text.kk).join(' '), type).toMatch(KAZAKH_LETTERS);
      expect([e.title.ru, ...e.actions.map((a) => a.text.ru)].join(' '), type).not.toMatch(KAZAKH_LETTERS);
      // action ids are unique within a type
      expect(new Set(e.actions.map((a) => a.id)).size).toBe(e.actions.length);
    }
  });

  it('W-31 the examples of the issue: leak detection for night flow, PRV set point for night pressure, power supply for voltage', () => {
    expect(recommendationsFor('night_flow_high', 'en').actions.map((a) => a.id)).toContain('send_leak_detection');
    expect(recommendationsFor('night_pressure_high', 'ru').actions[0].text).toContain('уставку редукционного клапана');
    expect(recommendationsFor('voltage_deviation', 'kk').actions[0].text).toContain('трансформатор');
    expect(recommendationsFor('verification_overdue', 'en').actions[0].text).toContain('flagged');
  });
});
