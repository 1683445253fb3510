import { getLocale, getTranslations } from 'next-intl/server';
import type { RegistrationView } from '@/lib/registration';
import { formatAstana } from '@/lib/time/astana';
import { asTimeLocale, explanationText, localized } from './format';

const FORM_FIELDS = ['phone', 'email', 'address', 'bankName', 'iban', 'bic', 'expertsCount', 'sections', 'authorityType', 'accreditation'] as const;

/** A registration request as its applicant and the operator read it (X-11 decides who gets here). */
export async function RequestDetails({ view, downloadBase }: { view: RegistrationView; downloadBase?: string }) {
  const [t, locale] = await Promise.all([getTranslations('registration'), getLocale()]);
  const tl = asTimeLocale(locale);
  const r = view.request;
  const fd = r.formData as Record<string, unknown>;
  const value = (k: string, v: unknown): string => {
    if (k === 'authorityType' && typeof v === 'string') return t.has(`authorityType.${v}`) ? t(`authorityType.${v}`) : v;
    if (k === 'accreditation' && v && typeof v === 'object') {
      const a = v as { certificateNumber?: string; issuedOn?: string; validUntil?: string };
      return t('request.accreditationValue', { number: a.certificateNumber ?? '', from: a.issuedOn ?? '', to: a.validUntil ?? '' });
    }
    return String(v);
  };
  const explanation = explanationText(r.dueExplanation, locale);
  return (
    <div className="space-y-6">
      <section aria-labelledby="req-summary" className="space-y-2 rounded-lg border border-slate-300 p-4">
        <h2 id="req-summary" className="text-xl font-semibold">
          {t('request.summary')}
        </h2>
        <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">{t('request.kind')}</dt>
          <dd>{t(`kind.${r.kind}`)}</dd>
          <dt className="font-medium">{t('request.status')}</dt>
          <dd data-testid="request-status" data-status={r.status}>
            <span className={r.status === 'refused' ? 'font-semibold text-red-800' : r.status === 'confirmed' ? 'font-semibold text-green-800' : 'font-semibold'}>
              {t(`status.${r.status}`)}
            </span>
          </dd>
          <dt className="font-medium">{t('request.personType')}</dt>
          <dd>{t(`personType.${r.personType}`)}</dd>
          <dt className="font-medium">{t('request.applicant')}</dt>
          <dd>
            {view.applicantName} <span className="font-mono text-sm">({t('form.iin')} {view.applicantIin})</span>
          </dd>
          {view.organisation ? (
            <>
              <dt className="font-medium">{t('form.organisation')}</dt>
              <dd>
                {view.organisation.name} <span className="font-mono text-sm">({t('form.bin')} {view.organisation.bin})</span>
              </dd>
            </>
          ) : null}
          <dt className="font-medium">{t('request.submitted')}</dt>
          <dd>{formatAstana(r.submittedAt, tl)}</dd>
          <dt className="font-medium">{t('request.due')}</dt>
          <dd data-testid="request-due">
            {r.dueAt ? (
              <>
                {formatAstana(r.dueAt, tl)}
                {view.overdue ? <span className="ml-2 rounded bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">{t('queue.overdue')}</span> : null}
              </>
            ) : (
              t('request.noTerm')
            )}
          </dd>
        </dl>
        {explanation ? (
          <p className="text-sm text-slate-700" data-testid="request-due-explanation">
            {explanation}
          </p>
        ) : null}
        {view.alreadyRegistered && r.status === 'submitted' ? (
          <p role="status" className="rounded border border-amber-500 bg-amber-50 p-2" data-testid="already-registered">
            {t('request.alreadyRegistered')}
          </p>
        ) : null}
      </section>

      {r.status !== 'submitted' ? (
        <section aria-labelledby="req-decision" className={`space-y-2 rounded-lg border p-4 ${r.status === 'refused' ? 'border-red-700 bg-red-50' : 'border-green-700 bg-green-50'}`} data-testid="request-decision">
          <h2 id="req-decision" className="text-xl font-semibold">
            {t('request.decision')}
          </h2>
          <p>
            {t(`status.${r.status}`)} — {r.decidedAt ? formatAstana(r.decidedAt, tl) : ''}
            {view.decidedByName ? ` · ${view.decidedByName}` : ''}
          </p>
          {r.refusalGround ? (
            <p>
              <span className="font-medium">{t('request.ground')}:</span> <span data-testid="refusal-ground">{t(`ground.${r.refusalGround}`)}</span>
            </p>
          ) : null}
          {r.refusalReason ? (
            <p>
              <span className="font-medium">{t('request.reason')}:</span> <span data-testid="refusal-reason">{r.refusalReason}</span>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="req-data" className="space-y-2 rounded-lg border border-slate-300 p-4">
        <h2 id="req-data" className="text-xl font-semibold">
          {t('request.data')}
        </h2>
        <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
          {FORM_FIELDS.filter((k) => fd[k] !== undefined && fd[k] !== '').map((k) => (
            <div key={k} className="contents">
              <dt className="font-medium">{t(`form.fields.${k}`)}</dt>
              <dd className="break-words">{value(k, fd[k])}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="req-files" className="space-y-2 rounded-lg border border-slate-300 p-4">
        <h2 id="req-files" className="text-xl font-semibold">
          {t('form.attachments')}
        </h2>
        {r.attachments.length === 0 ? (
          <p>{t('request.noAttachments')}</p>
        ) : (
          <ul className="space-y-1">
            {r.attachments.map((a) => (
              <li key={`${a.type}:${a.sha256}`} data-testid={`request-attachment-${a.type}`}>
                <span className="font-medium">{t(`attachment.${a.type}`)}</span>:{' '}
                {downloadBase ? (
                  <a href={`${downloadBase}/${a.sha256}`} className="text-sky-800 underline" download>
                    {a.name}
                  </a>
                ) : (
                  a.name
                )}{' '}
                <span className="break-all font-mono text-xs text-slate-600">SHA-256 {a.sha256}</span>{' '}
                <span className="text-sm text-green-800">{t('request.certifiedEds')}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="req-forms" className="space-y-2 rounded-lg border border-slate-300 p-4">
        <h2 id="req-forms" className="text-xl font-semibold">
          {t('request.signedForms')}
        </h2>
        {view.forms.length === 0 ? (
          <p>{t('request.noForms')}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-6">
            {view.forms.map((f) => (
              <li key={`${f.kind}:${f.version}:${f.acceptedAt.toISOString()}`} data-testid={`signed-form-${f.kind}`}>
                {localized(f.title, locale)} — {t('request.formVersion', { version: f.version, date: formatAstana(f.acceptedAt, tl) })}
              </li>
            ))}
          </ul>
        )}
      </section>

      {view.responsible.length ? (
        <section aria-labelledby="req-resp" className="space-y-2 rounded-lg border border-slate-300 p-4">
          <h2 id="req-resp" className="text-xl font-semibold">
            {t('form.responsible')}
          </h2>
          <ul className="space-y-1">
            {view.responsible.map((p) => (
              <li key={p.iin}>
                {p.fullName}, {p.position} <span className="font-mono text-sm">({p.iin})</span> —{' '}
                {p.signedAt ? t('request.ndaSigned', { date: formatAstana(p.signedAt, tl) }) : <span className="text-amber-800">{t('request.ndaPending')}</span>}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
