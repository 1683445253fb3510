import { getTranslations } from 'next-intl/server';
import type { SystemKey } from '@/components/shell/systems';

/**
 * A system's landing page: what it does under its rules (C-4, E-16..E-23, P-3, W-2) and the services it will
 * offer. Services not built yet are marked "coming"; nothing is presented as working before it works.
 */
export async function SystemLanding({ system }: { system: SystemKey }) {
  const t = await getTranslations('systems');
  const law = t.raw(`${system}.law`) as string[];
  const services = t.raw(`${system}.services`) as string[];
  return (
    <article className="space-y-6" data-system={system}>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t(`${system}.title`)}</h1>
        <p className="text-slate-700">{t(`${system}.short`)}</p>
      </header>
      <section aria-labelledby="law-heading">
        <h2 id="law-heading" className="text-xl font-semibold">
          {t('lawHeading')}
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-6">
          {law.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="services-heading">
        <h2 id="services-heading" className="text-xl font-semibold">
          {t('servicesHeading')}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t('comingNote')}</p>
        <ul className="mt-2 space-y-2">
          {services.map((line) => (
            <li key={line} className="flex flex-wrap items-start gap-2">
              <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold uppercase text-amber-900">{t('coming')}</span>
              <span className="min-w-0 flex-1">{line}</span>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
