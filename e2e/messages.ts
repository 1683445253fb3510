import fs from 'node:fs';
import path from 'node:path';

type Messages = Record<string, unknown>;
const dir = path.join(__dirname, '..', 'lib', 'i18n', 'messages');

function merge(into: Messages, from: Messages): Messages {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && into[k] && typeof into[k] === 'object') merge(into[k] as Messages, v as Messages);
    else into[k] = v;
  }
  return into;
}

/** The shell's file merged with every area's file (lib/i18n/messages/<area>/<locale>.json), as the portal does. */
function load(locale: 'kk' | 'ru' | 'en'): Messages {
  const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as Messages;
  const out = read(path.join(dir, `${locale}.json`));
  for (const area of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, area.name, `${locale}.json`);
    if (area.isDirectory() && fs.existsSync(f)) merge(out, read(f));
  }
  return out;
}

export const messages = { kk: load('kk'), ru: load('ru'), en: load('en') };

/** A message by its dotted key, e.g. msg('ru', 'shell.nav.water'). */
export function msg(locale: 'kk' | 'ru' | 'en', key: string): string {
  let v: unknown = messages[locale];
  for (const part of key.split('.')) v = (v as Record<string, unknown>)?.[part];
  if (typeof v !== 'string') throw new Error(`no message ${locale}:${key}`);
  return v;
}
