import fs from 'node:fs';
import path from 'node:path';

type Messages = Record<string, unknown>;

function load(locale: 'kk' | 'ru' | 'en'): Messages {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'lib', 'i18n', 'messages', `${locale}.json`), 'utf8')) as Messages;
}

export const messages = { kk: load('kk'), ru: load('ru'), en: load('en') };

/** A message by its dotted key, e.g. msg('ru', 'shell.nav.water'). */
export function msg(locale: 'kk' | 'ru' | 'en', key: string): string {
  let v: unknown = messages[locale];
  for (const part of key.split('.')) v = (v as Record<string, unknown>)?.[part];
  if (typeof v !== 'string') throw new Error(`no message ${locale}:${key}`);
  return v;
}
