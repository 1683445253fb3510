import { demoSignKeys } from '@/components/eds/demo-keys';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { checkAccess } from '@/lib/actions/guard';
import { can } from '@/lib/auth/policy';
import { ASTANA_TZ } from '@/lib/time/zone';
import { markNotificationReadForm } from './actions';
import { loadCabinet } from './data';
import { ProfileForm } from './profile-form';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('cabinet'))('title') };
}

/** EDS test mode: the demo SIGN keys for <SignButton> (their passwords are public demo data). */

const section = 'rounded-lg border border-slate-300 p-4 space-y-3';

/** the personal cabinet. Server-rendered; only the signed-in user's own data. */
export default async function CabinetPage() {
  const access = await checkAccess('cabinet.access');
  const t = await getTranslations('cabinet');
  if (!access.ok) {
    return (
      <section className="max-w-xl space-y-3 rounded-lg border border-amber-400 bg-amber-50 p-4" data-testid="cabinet-signin">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p>{t('signInRequired')}</p>
        <Link href="/signin?callbackUrl=%2Fcabinet" className="inline-block rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
          {t('signInLink')}
        </Link>
      </section>
    );
  }
  const p = access.principal;
  const [data, locale, demoKeys] = await Promise.all([loadCabinet(getDb(), p), getLocale(), demoSignKeys()]);
  const fmt = new Intl.DateTimeFormat(locale, { timeZone: ASTANA_TZ, dateStyle: 'medium', timeStyle: 'short' });
  const tr = await getTranslations('registration');
  const roleName = (r: string) => (t.has(`roles.role.${r}`) ? t(`roles.role.${r}`) : tr.has(`role.${r}`) ? tr(`role.${r}`) : r);

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="text-slate-700">{t('intro')}</p>
      </header>

      <section aria-labelledby="cab-notifications" className={section} data-testid="cabinet-notifications">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="cab-notifications" className="text-xl font-semibold">
            {t('notifications.title')}
          </h2>
          <p>{t('notifications.unreadCount', { count: data.unread })}</p>
        </div>
        {data.notifications.length === 0 ? (
          <p>{t('notifications.empty')}</p>
        ) : (
          <>
            {data.unread > 0 ? (
              <form action={markNotificationReadForm}>
                <input type="hidden" name="id" value="all" />
                <button type="submit" className="rounded border border-slate-500 px-3 py-1">
                  {t('notifications.markAllRead')}
                </button>
              </form>
            ) : null}
            <ul className="divide-y divide-slate-200">
              {data.notifications.map((n) => (
                <li key={n.id} className="py-2" data-notification-id={n.id} data-unread={n.readAt ? undefined : 'true'}>
                  <p className={n.readAt ? '' : 'font-semibold'}>
                    {n.readAt ? null : <span className="mr-2 rounded bg-sky-800 px-1.5 py-0.5 text-xs text-white">{t('notifications.unread')}</span>}
                    {n.title}
                  </p>
                  <p className="whitespace-pre-line text-slate-800">{n.body}</p>
                  <p className="text-sm text-slate-600">{t('notifications.received', { date: fmt.format(n.createdAt) })}</p>
                  <div className="mt-1 flex flex-wrap gap-3">
                    {n.link ? (
                      <Link href={n.link} className="text-sky-800 underline">
                        {t('notifications.open')}
                      </Link>
                    ) : null}
                    {n.readAt ? null : (
                      <form action={markNotificationReadForm}>
                        <input type="hidden" name="id" value={n.id} />
                        <button type="submit" className="text-sky-800 underline">
                          {t('notifications.markRead')}
                        </button>
                      </form>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        <p className="text-sm text-slate-600">{t('notifications.noEds')}</p>
      </section>

      <section aria-labelledby="cab-tosign" className={section} data-testid="cabinet-to-sign">
        <h2 id="cab-tosign" className="text-xl font-semibold">
          {t('toSign.title')}
        </h2>
        {data.toSign.length === 0 ? (
          <p>{t('toSign.empty')}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-6">
            {data.toSign.map((d) => (
              <li key={`${d.kind}:${d.id}`}>
                {d.kind === 'nda' ? (
                  t('toSign.nda', { subject: d.subject })
                ) : d.kind === 'partner_document' ? (
                  <Link href={`/expertise/applications/${d.applicationId}`} className="underline">
                    {t('toSign.partnerDocument', { fileName: d.fileName, number: d.number ?? '—' })}
                  </Link>
                ) : (
                  t('toSign.conclusion', { number: d.number ?? '—' })
                )}{' '}
                <span className="text-sm text-slate-600">({fmt.format(d.since)})</span>
              </li>
            ))}
          </ul>
        )}
        <p className="text-sm text-slate-600">{t('toSign.scope')}</p>
      </section>

      <section aria-labelledby="cab-registrations" className={section} data-testid="cabinet-registrations">
        <h2 id="cab-registrations" className="text-xl font-semibold">
          {t('registrations.title')}
        </h2>
        <p>
          <Link href="/register" className="text-sky-800 underline">
            {tr('cabinet.register')}
          </Link>
        </p>
        {data.registrations.length === 0 ? (
          <p>{t('registrations.empty')}</p>
        ) : (
          <ul className="space-y-2">
            {data.registrations.map((r) => (
              <li key={r.id}>
                <p className="font-medium">
                  <Link href={`/register/requests/${r.id}`} className="text-sky-800 underline" data-testid="cabinet-registration-link">
                    {t(`registrations.kind.${r.kind}`)}
                  </Link>{' '}
                  — {t(`registrations.status.${r.status}`)}
                </p>
                <p className="text-sm text-slate-700">
                  {t('registrations.submitted', { date: fmt.format(r.submittedAt) })}
                  {r.status === 'submitted' && r.dueAt ? ` · ${t('registrations.due', { date: fmt.format(r.dueAt) })}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="cab-roles" className={section} data-testid="cabinet-roles">
        <h2 id="cab-roles" className="text-xl font-semibold">
          {t('roles.title')}
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          <dt className="font-medium">{t('roles.name')}</dt>
          <dd>{p.fullName}</dd>
          <dt className="font-medium">{t('roles.iin')}</dt>
          <dd className="font-mono">{p.iin}</dd>
          <dt className="font-medium">{t('roles.organisation')}</dt>
          <dd>{data.organisation ? data.organisation.name : t('roles.noOrganisation')}</dd>
          {data.organisation ? (
            <>
              <dt className="font-medium">{t('roles.bin')}</dt>
              <dd className="font-mono">{data.organisation.bin}</dd>
            </>
          ) : null}
          <dt className="font-medium">{t('roles.roles')}</dt>
          <dd>{p.roles.length ? p.roles.map(roleName).join(', ') : t('roles.noRoles')}</dd>
        </dl>
        {p.orgId && can(p, 'org.roles.manage', { orgId: p.orgId }) ? (
          <p>
            <Link href="/cabinet/organisation" className="text-sky-800 underline" data-testid="cabinet-organisation-link">
              {tr('cabinet.organisation')}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="cab-profile" className={section} data-testid="cabinet-profile">
        <h2 id="cab-profile" className="text-xl font-semibold">
          {t('profile.title')}
        </h2>
        <p>{t('profile.intro')}</p>
        <p data-testid="cabinet-email">{t('profile.current', { email: data.email ?? t('profile.none') })}</p>
        <ProfileForm email={data.email} demoKeys={demoKeys} />
      </section>
    </div>
  );
}
