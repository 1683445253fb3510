import { useTranslations } from 'next-intl';

/** Shown for an id outside the user's scope (or unknown): the same answer, so existence does not leak. */
export function NotInScope() {
  const t = useTranslations('waterDashboard');
  return (
    <p role="alert" className="rounded border border-amber-400 bg-amber-50 p-3" data-testid="not-in-scope">
      {t('notFound')}
    </p>
  );
}
