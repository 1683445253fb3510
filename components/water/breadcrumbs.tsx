import Link from 'next/link';
import { useTranslations } from 'next-intl';

export type Crumb = { label: string; href?: string };

/** The drill-down trail: national → region → utility → object. The last crumb is the current page. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  const t = useTranslations('waterDashboard');
  return (
    <nav aria-label={t('breadcrumbs')} className="text-sm">
      <ol className="flex flex-wrap items-center gap-1">
        {items.map((c, i) => (
          <li key={i} className="flex items-center gap-1">
            {i > 0 && <span aria-hidden="true">›</span>}
            {c.href && i < items.length - 1 ? (
              <Link href={c.href} className="text-sky-800 underline hover:text-sky-950">
                {c.label}
              </Link>
            ) : (
              <span aria-current="page" className="font-medium">
                {c.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
