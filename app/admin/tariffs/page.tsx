import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { ChargeForm, TariffForm } from '@/components/admin/accreditation-forms';
import { BackToAdmin } from '@/components/admin/back-link';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { checkAccess } from '@/lib/actions/guard';
import { ADMIN_ACTION_NAMES } from '@/lib/registration/admin-actions';
import { listCharges, listExpertOrganisationsForAdmin, listTariffs } from '@/lib/registration/expert-orgs';
import { formatIsoDate } from '@/lib/time/astana';
import { createChargeAction, createTariffAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('tariffsAdmin'))('title') };
}

/** Sums decimal strings exactly (2 places), without floats. */
function sum(amounts: string[]): string {
  const cents = amounts.reduce((s, a) => {
    const [i, f = ''] = a.split('.');
    return s + BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  }, 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/** E-15: tariffs agreed with the Vedomstvo and the charges per organisation; every entry signed. */
export default async function TariffsAdminPage() {
  const access = await checkAccess('tariffs.manage');
  if (!access.ok) return <AccessDenied reason={access.reason} />;
  const db = getDb();
  const [t, tariffs, charges, orgs, demoKeys] = await Promise.all([
    getTranslations('tariffsAdmin'),
    listTariffs(db, null),
    listCharges(db),
    listExpertOrganisationsForAdmin(db),
    demoSignKeys(),
  ]);
  const registered = orgs.filter((o) => o.registeredAt);
  const byOrg = registered.map((o) => ({ org: o, rows: charges.filter((c) => c.orgId === o.orgId) })).filter((x) => x.rows.length > 0);

  return (
    <div className="space-y-8">
      <BackToAdmin />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-slate-700">{t('intro')}</p>
      </header>

      <section aria-labelledby="tariffs-heading" className="space-y-3">
        <h2 id="tariffs-heading" className="text-xl font-semibold">
          {t('tariffsHeading')}
        </h2>
        {tariffs.length === 0 ? (
          <p>{t('noTariffs')}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('tariffsCaption')}>
            <table className="w-full min-w-[44rem] border-collapse text-left text-sm" data-testid="tariffs-table">
              <caption className="sr-only">{t('tariffsCaption')}</caption>
              <thead>
                <tr className="border-b border-slate-400">
                  <th scope="col" className="p-2">{t('columns.service')}</th>
                  <th scope="col" className="p-2 text-right">{t('columns.rate')}</th>
                  <th scope="col" className="p-2">{t('columns.unit')}</th>
                  <th scope="col" className="p-2">{t('columns.validFrom')}</th>
                  <th scope="col" className="p-2">{t('columns.validTo')}</th>
                  <th scope="col" className="p-2">{t('columns.agreed')}</th>
                </tr>
              </thead>
              <tbody>
                {tariffs.map((x) => (
                  <tr key={x.id} className="border-b border-slate-200 align-top">
                    <th scope="row" className="p-2 font-medium">{x.service}</th>
                    <td className="p-2 text-right tabular-nums">{x.rate}</td>
                    <td className="p-2">{x.unit}</td>
                    <td className="p-2 whitespace-nowrap">{formatIsoDate(x.validFrom)}</td>
                    <td className="p-2 whitespace-nowrap">{x.validTo ? formatIsoDate(x.validTo) : t('openEnded')}</td>
                    <td className="p-2">{x.agreedWithVedomstvo}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <details className="rounded-lg border border-slate-300 p-4">
          <summary className="cursor-pointer font-medium text-sky-800 underline">{t('createHeading')}</summary>
          <div className="mt-3">
            <TariffForm action={createTariffAction} actionName={ADMIN_ACTION_NAMES.tariff} demoKeys={demoKeys} />
          </div>
        </details>
      </section>

      <section aria-labelledby="charges-heading" className="space-y-4">
        <h2 id="charges-heading" className="text-xl font-semibold">
          {t('chargesHeading')}
        </h2>
        {registered.length === 0 ? (
          <p>{t('noOrganisations')}</p>
        ) : (
          <div className="rounded-lg border border-slate-300 p-4">
            <h3 className="mb-3 text-lg font-semibold">{t('chargeHeading')}</h3>
            <ChargeForm
              organisations={registered.map((o) => ({ id: o.orgId, label: `${o.name} (${o.bin})` }))}
              tariffs={tariffs.map((x) => ({ id: x.id, label: `${x.service} — ${x.rate} ₸ / ${x.unit}` }))}
              action={createChargeAction}
              actionName={ADMIN_ACTION_NAMES.charge}
              demoKeys={demoKeys}
            />
          </div>
        )}
        {byOrg.length === 0 ? (
          <p>{t('noCharges')}</p>
        ) : (
          byOrg.map(({ org, rows }) => (
            <div key={org.orgId} className="space-y-2" data-bin={org.bin}>
              <h3 className="text-lg font-semibold">
                {org.name} <span className="font-mono text-base font-normal text-slate-700">{org.bin}</span>
              </h3>
              <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('chargesCaption', { name: org.name })}>
                <table className="w-full min-w-[36rem] border-collapse text-left text-sm">
                  <caption className="sr-only">{t('chargesCaption', { name: org.name })}</caption>
                  <thead>
                    <tr className="border-b border-slate-400">
                      <th scope="col" className="p-2">{t('columns.period')}</th>
                      <th scope="col" className="p-2">{t('columns.service')}</th>
                      <th scope="col" className="p-2 text-right">{t('columns.rate')}</th>
                      <th scope="col" className="p-2 text-right">{t('columns.quantity')}</th>
                      <th scope="col" className="p-2 text-right">{t('columns.amount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((c) => (
                      <tr key={c.id} className="border-b border-slate-200">
                        <td className="p-2 tabular-nums">{c.period}</td>
                        <td className="p-2">{c.service}</td>
                        <td className="p-2 text-right tabular-nums">{c.rate}</td>
                        <td className="p-2 text-right tabular-nums">{c.quantity}</td>
                        <td className="p-2 text-right tabular-nums">{c.amount}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="font-medium">{t('total', { amount: sum(rows.map((r) => r.amount)) })}</p>
            </div>
          ))
        )}
      </section>
    </div>
  );
}
