import type { Locale } from '../config';
import en from './en.json';
import kk from './kk.json';
import ru from './ru.json';
import adminEn from './admin/en.json';
import adminKk from './admin/kk.json';
import adminRu from './admin/ru.json';
import analyticsEn from './analytics/en.json';
import analyticsKk from './analytics/kk.json';
import analyticsRu from './analytics/ru.json';
import expertiseEn from './expertise/en.json';
import expertiseKk from './expertise/kk.json';
import expertiseRu from './expertise/ru.json';
import incidentsEn from './incidents/en.json';
import incidentsKk from './incidents/kk.json';
import incidentsRu from './incidents/ru.json';
import partnerEn from './partner/en.json';
import partnerKk from './partner/kk.json';
import partnerRu from './partner/ru.json';
import registrationEn from './registration/en.json';
import registrationKk from './registration/kk.json';
import registrationRu from './registration/ru.json';
import rolesEn from './roles/en.json';
import rolesKk from './roles/kk.json';
import rolesRu from './roles/ru.json';
import waterEn from './water/en.json';
import waterKk from './water/kk.json';
import waterRu from './water/ru.json';

/**
 * The portal's messages per language: the shell's file (`kk.json` …) merged with one file per area
 * (`registration/kk.json` …), so that areas are edited apart. An area may add keys to an existing namespace;
 * the same leaf key in two files is an error, found when the module loads (and by messages.test.ts).
 */
export type Messages = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function mergeMessages(parts: readonly Messages[], path = ''): Messages {
  const out: Messages = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      const at = path ? `${path}.${k}` : k;
      if (!(k in out)) out[k] = isObject(v) ? mergeMessages([v], at) : v;
      else if (isObject(out[k]) && isObject(v)) out[k] = mergeMessages([out[k] as Messages, v], at);
      else throw new Error(`message key ${at} is defined twice`);
    }
  }
  return out;
}

export const messagesByLocale: Record<Locale, Messages> = {
  kk: mergeMessages([kk, registrationKk, rolesKk, expertiseKk, partnerKk, waterKk, analyticsKk, incidentsKk, adminKk]),
  ru: mergeMessages([ru, registrationRu, rolesRu, expertiseRu, partnerRu, waterRu, analyticsRu, incidentsRu, adminRu]),
  en: mergeMessages([en, registrationEn, rolesEn, expertiseEn, partnerEn, waterEn, analyticsEn, incidentsEn, adminEn]),
};
