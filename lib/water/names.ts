/**
 * Place names in the viewer's language: regions are registered in Kazakh and Russian and, since issue 6, in
 * English (`name_en`, null where none is given: then the Russian name is shown, as before).
 */
export type PlaceNames = { nameKk: string; nameRu: string; nameEn?: string | null };

export function placeName(r: PlaceNames, locale: string): string {
  return locale === 'kk' ? r.nameKk : locale === 'en' ? (r.nameEn ?? r.nameRu) : r.nameRu;
}
