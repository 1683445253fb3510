import { getTranslations } from 'next-intl/server';
import type { ApplicationView } from '@/lib/expertise';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { renderExplanation, type Explanation } from '@/lib/time/explain';

/** What each party must do next, by status. */
const NEXT: Record<string, { applicant: string; expert: string }> = {
  draft: { applicant: 'finishDraft', expert: 'none' },
  registered: { applicant: 'wait', expert: 'checkCompleteness' },
  incomplete: { applicant: 'remedy', expert: 'wait' },
  in_review: { applicant: 'wait', expert: 'review' },
  remarks_issued: { applicant: 'answerRemarks', expert: 'wait' },
  conclusion_signed: { applicant: 'pay', expert: 'confirmPayment' },
  conclusion_released: { applicant: 'download', expert: 'none' },
  archived: { applicant: 'none', expert: 'none' },
};

/** X-7 / issue 5 part 13: the application's header, next steps, deadlines with explanations, documents and events. */
export async function ApplicationTimeline({ view, locale, party, at: current }: { view: ApplicationView; locale: TimeLocale; party: 'applicant' | 'expert'; at: Date }) {
  const t = await getTranslations('expertiseApp');
  const a = view.application;
  const next = NEXT[a.status] ?? { applicant: 'none', expert: 'none' };
  const at = (d: Date | null) => (d ? formatAstana(d, locale) : '—');
  const explain = (e: unknown) => {
    try {
      return renderExplanation(e as Explanation, locale);
    } catch {
      return '';
    }
  };

  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold md:text-3xl" data-testid="app-title">
          {a.number ?? t('draftLabel')} — {a.objectName}
        </h1>
        <p>
          <span className="font-medium">{t('statusLabel')}:</span> <span data-testid="app-status">{t(`status.${a.status}`)}</span>
          {a.registrationDate && ` · ${t('registrationDate')}: ${a.registrationDate}`}
        </p>
        {a.registrationExplanation != null && <p className="text-sm text-slate-700">{explain(a.registrationExplanation)}</p>}
      </header>

      <section aria-labelledby="next-h" className="rounded-lg border border-sky-700 bg-sky-50 p-4">
        <h2 id="next-h" className="text-xl font-bold">
          {t('detail.nextTitle')}
        </h2>
        <ul className="mt-1 list-disc pl-5">
          <li className={party === 'applicant' ? 'font-medium' : ''}>
            {t('detail.applicantParty')}: {t(`next.${next.applicant}`)}
          </li>
          <li className={party === 'expert' ? 'font-medium' : ''}>
            {t('detail.expertParty')}: {t(`next.${next.expert}`)}
          </li>
        </ul>
      </section>

      <section aria-labelledby="deadlines-h" className="space-y-2">
        <h2 id="deadlines-h" className="text-xl font-bold">
          {t('detail.deadlines')}
        </h2>
        {view.deadlines.length === 0 ? (
          <p>{t('detail.noDeadlines')}</p>
        ) : (
          <ul className="space-y-2" data-testid="deadlines">
            {view.deadlines.map((d) => {
              const overdue = d.status === 'open' && d.dueAt.getTime() < current.getTime();
              return (
                <li key={d.kind} className={`rounded border p-2 ${overdue ? 'border-red-700 bg-red-50' : 'border-slate-300'}`}>
                  <p className="font-medium">
                    {t(`deadlineKinds.${d.kind}`)}: {d.dueDate} ({at(d.dueAt)}) · {t(`deadlineStatus.${d.status}`)}
                    {overdue && ` · ${t('detail.overdue')}`}
                  </p>
                  <p className="text-sm text-slate-700">{explain(d.explanation)}</p>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="docs-h" className="space-y-2">
        <h2 id="docs-h" className="text-xl font-bold">
          {t('detail.documents')}
        </h2>
        {view.documents.length === 0 ? (
          <p>{t('detail.noDocuments')}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0}>
            <table className="w-full text-left text-sm" data-testid="documents">
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="p-1">{t('detail.docSlot')}</th>
                  <th scope="col" className="p-1">{t('detail.docVersion')}</th>
                  <th scope="col" className="p-1">{t('detail.docFile')}</th>
                  <th scope="col" className="p-1">{t('detail.docRegistered')}</th>
                </tr>
              </thead>
              <tbody>
                {view.documents.map((d) => (
                  <tr key={d.id} className={`border-b border-slate-200 ${d.annulledAt ? 'text-slate-600 line-through' : ''}`}>
                    <td className="p-1">
                      {t.has(`slots.${d.slot}`) ? t(`slots.${d.slot}`) : d.slot}
                      {d.isCostEstimate && ` (${t('costEstimateMark')})`}
                    </td>
                    <td className="p-1">{d.version}</td>
                    <td className="p-1 break-all">
                      {d.storageKey ? (
                        <a className="underline" href={`/expertise/applications/${a.id}/documents/${d.id}`}>
                          {d.fileName}
                        </a>
                      ) : (
                        d.fileName
                      )}
                      <span className="block font-mono text-xs">SHA-256 {d.sha256}</span>
                    </td>
                    <td className="p-1">{d.registeredOn ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="events-h" className="space-y-2">
        <h2 id="events-h" className="text-xl font-bold">
          {t('detail.timeline')}
        </h2>
        <ol className="space-y-1 border-l-2 border-slate-300 pl-3" data-testid="timeline">
          {view.events.map((e) => (
            <li key={e.id}>
              <span className="text-sm text-slate-700">{at(e.at)}</span> — {t.has(`events.${e.kind}`) ? t(`events.${e.kind}`) : e.kind}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
