import type { ReactElement } from 'react';
import { getLocale, getTranslations } from 'next-intl/server';
import { AccessDenied } from '@/components/admin/access-denied';
import type { Crumb } from '@/components/water/breadcrumbs';
import { NotInScope } from '@/components/water/not-in-scope';
import { getDb, type Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { openDashboardPage, type DashboardPage, type PageSearchParams } from '@/lib/water/dashboard/page';
import { placeName, type PlaceNames } from '@/lib/water/names';

type OpenPage = Extract<DashboardPage, { ok: true }>;

export type DrillDown<T> =
  | { ok: false; view: ReactElement }
  | {
      ok: true;
      page: OpenPage;
      id: string;
      data: T;
      db: Db;
      t: Awaited<ReturnType<typeof getTranslations<'waterDashboard'>>>;
      /** A place's name in the viewer's language. */
      name: (r: PlaceNames) => string;
      /** The trail's first crumbs: national, then the regions down to `trail`'s last (each keeps the range). */
      crumbs: (trail: readonly (PlaceNames & { id: string })[]) => Crumb[];
    };

/**
 * How a drill-down page (a region, a utility, an object) opens: authorise and resolve the scope and range
 * (openDashboardPage), load the item in the user's scope — one answer for "not yours" and "no such id", so that
 * existence does not leak — and give the page its texts, names and the start of its breadcrumbs. On refusal
 * `view` is what the page shows instead.
 */
export async function openDrillDown<T>(
  params: Promise<{ id: string }>,
  searchParams: PageSearchParams,
  load: (db: Db, page: OpenPage, id: string) => Promise<T>,
): Promise<DrillDown<T>> {
  const page = await openDashboardPage(searchParams);
  if (!page.ok) return { ok: false, view: <AccessDenied reason={page.reason} /> };
  const [{ id }, t, locale] = await Promise.all([params, getTranslations('waterDashboard'), getLocale()]);
  const db = getDb();
  let data: T;
  try {
    data = await load(db, page, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return { ok: false, view: <NotInScope /> };
    throw e;
  }
  const name = (r: PlaceNames) => placeName(r, locale);
  const crumbs = (trail: readonly (PlaceNames & { id: string })[]): Crumb[] => [
    { label: t('national'), href: `/water/dashboard?${page.query}` },
    ...trail.map((r) => ({ label: name(r), href: `/water/regions/${r.id}?${page.query}` })),
  ];
  return { ok: true, page, id, data, db, t, name, crumbs };
}
