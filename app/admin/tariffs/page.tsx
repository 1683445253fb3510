import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { AccessDenied } from '@/components/admin/access-denied';
import { ChargeForm, TariffForm } from '@/components/admin/accreditation-forms';
import { BackToAdmin } from '@/components/admin/back-link';
import { DataTable, type Column } from '@/components/admin/data-table';
import { EmptyState, PageHeader, PageSection } from '@/components/admin/page-header';
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

  const tariffColumns: Column<(typeof tariffs)[number]>[] = [
    { key: 'service', header: t('columns.service'), rowHeader: true, cell: (x) => x.service },
    { key: 'rate', header: t('columns.rate'), numeric: true, className: 'tabular-nums', cell: (x) => x.rate },
    { key: 'unit', header: t('columns.unit'), cell: (x) => x.unit },
    { key: 'validFrom', header: t('columns.validFrom'), className: 'whitespace-nowrap', cell: (x) => formatIsoDate(x.validFrom) },
    { key: 'validTo', header: t('columns.validTo'), className: 'whitespace-nowrap', cell: (x) => (x.validTo ? formatIsoDate(x.validTo) : t('openEnded')) },
    { key: 'agreed', header: t('columns.agreed'), cell: (x) => x.agreedWithVedomstvo },
  ];
  const chargeColumns: Column<(typeof charges)[number]>[] = [
    { key: 'period', header: t('columns.period'), className: 'tabular-nums', cell: (c) => c.period },
    { key: 'service', header: t('columns.service'), cell: (c) => c.service },
    { key: 'rate', header: t('columns.rate'), numeric: true, className: 'tabular-nums', cell: (c) => c.rate },
    { key: 'quantity', header: t('columns.quantity'), numeric: true, className: 'tabular-nums', cell: (c) => c.quantity },
    { key: 'amount', header: t('columns.amount'), numeric: true, className: 'tabular-nums', cell: (c) => c.amount },
  ];

  return (
    <div className="space-y-8">
      <BackToAdmin />
      <PageHeader title={t('title')} intro={t('intro')} />

      <PageSection id="tariffs-heading" title={t('tariffsHeading')}>
        <DataTable caption={t('tariffsCaption')} columns={tariffColumns} rows={tariffs} rowKey={(x) => x.id} minWidthRem={44} testId="tariffs-table" empty={t('noTariffs')} />
        <details className="rounded-lg border border-slate-300 p-4">
          <summary className="cursor-pointer font-medium text-sky-800 underline">{t('createHeading')}</summary>
          <div className="mt-3">
            <TariffForm action={createTariffAction} actionName={ADMIN_ACTION_NAMES.tariff} demoKeys={demoKeys} />
          </div>
        </details>
      </PageSection>

      <PageSection id="charges-heading" title={t('chargesHeading')}>
        {registered.length === 0 ? (
          <EmptyState>{t('noOrganisations')}</EmptyState>
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
          <EmptyState>{t('noCharges')}</EmptyState>
        ) : (
          byOrg.map(({ org, rows }) => (
            <div key={org.orgId} className="space-y-2" data-bin={org.bin}>
              <h3 className="text-lg font-semibold">
                {org.name} <span className="font-mono text-base font-normal text-slate-700">{org.bin}</span>
              </h3>
              <DataTable caption={t('chargesCaption', { name: org.name })} columns={chargeColumns} rows={rows} rowKey={(c) => c.id} minWidthRem={36} />
              <p className="font-medium">{t('total', { amount: sum(rows.map((r) => r.amount)) })}</p>
            </div>
          ))
        )}
      </PageSection>
    </div>
  );
}
