'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { SignButton, type DemoSignKey } from '@/components/eds/sign-button';
import { Uploader, formatBytes, type UploadedFile } from '@/components/upload/uploader';
import type { certifyDocumentAction, saveDraftAction, submitApplicationAction } from '@/app/expertise/applications/actions';
import { DOCUMENT_SLOTS, WORK_KIND_OPTIONS as WORK_KINDS } from './slots';

type Certified = { slot: string; fileName: string; size: number; sha256: string; version: number };
type SubmitData = Extract<Awaited<ReturnType<typeof submitApplicationAction>>, { ok: true }>['data'];

const objectSchema = z.object({
  objectName: z.string().trim().min(1).max(500),
  region: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(1000),
  category: z.string().trim().min(1).max(100),
  workKind: z.enum(WORK_KINDS),
  financingSource: z.string().trim().min(1).max(200),
});
const orgSchema = z.object({ expertOrgId: z.uuid() });

const input = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';
const button = 'rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900 disabled:opacity-70';

export type WizardProps = {
  draftId: string | null;
  initial: Partial<z.input<typeof objectSchema> & z.input<typeof orgSchema>>;
  categories: { value: string; label: string }[];
  orgs: { orgId: string; name: string }[];
  certified: Certified[];
  upload: { chunkSizeBytes: number; maxFileBytes: number };
  demoKeys: DemoSignKey[] | null;
  actions: {
    saveDraft: typeof saveDraftAction;
    certify: typeof certifyDocumentAction;
    submit: typeof submitApplicationAction;
  };
};

/** E-16, E-17, E-19: the application wizard; each step is saved as the draft. */
export function ApplicationWizard(props: WizardProps) {
  const t = useTranslations('expertiseApp');
  // A draft whose object and organisation are saved continues at the documents step (e.g. after a reload).
  const [step, setStep] = useState(props.draftId && props.initial.expertOrgId && props.initial.objectName ? 2 : 0);
  const [draftId, setDraftId] = useState(props.draftId);
  const [error, setError] = useState<string | null>(null);
  const [certified, setCertified] = useState<Certified[]>(props.certified);
  const [pending, setPending] = useState<Record<string, UploadedFile>>({});
  const [result, setResult] = useState<SubmitData | null>(null);
  const steps = [t('wizard.stepObject'), t('wizard.stepOrg'), t('wizard.stepDocuments'), t('wizard.stepSubmit')];

  const objectForm = useForm<z.input<typeof objectSchema>>({ resolver: zodResolver(objectSchema), defaultValues: props.initial as z.input<typeof objectSchema> });
  const orgForm = useForm<z.input<typeof orgSchema>>({ resolver: zodResolver(orgSchema), defaultValues: { expertOrgId: props.initial.expertOrgId } });

  async function save(fields: Record<string, unknown>): Promise<boolean> {
    setError(null);
    const r = await props.actions.saveDraft({ applicationId: draftId ?? undefined, fields });
    if (!r.ok) {
      setError(r.error.message);
      return false;
    }
    setDraftId(r.data.applicationId);
    // Keep the draft's id in the address so a reload returns to it.
    window.history.replaceState(null, '', `/expertise/applications/new?draft=${r.data.applicationId}`);
    return true;
  }

  const err = (m?: string) => (m ? <p className="mt-1 text-sm text-red-800">{t('wizard.fieldError')}</p> : null);
  const latest = new Map(certified.map((c) => [c.slot, c]));
  const manifest = [...latest.values()].map((c) => ({ slot: c.slot, sha256: c.sha256 })).sort((a, b) => a.slot.localeCompare(b.slot));

  if (result) {
    return (
      <section aria-labelledby="submitted-title" className="space-y-3 rounded-lg border border-green-700 bg-green-50 p-4" data-testid="submitted">
        <h2 id="submitted-title" className="text-xl font-bold">
          {t('wizard.submittedTitle')}
        </h2>
        <dl className="grid gap-1 sm:grid-cols-[max-content_1fr] sm:gap-x-4">
          <dt className="font-medium">{t('number')}</dt>
          <dd data-testid="app-number">{result.number}</dd>
          <dt className="font-medium">{t('registrationDate')}</dt>
          <dd>{result.registrationDate}</dd>
          <dt className="font-medium">{t('receipt')}</dt>
          <dd data-testid="receipt-number">{result.receiptNumber}</dd>
        </dl>
        {result.explanation && <p className="text-sm">{result.explanation}</p>}
        <Link className="underline" href={`/expertise/applications/${result.applicationId}`}>
          {t('wizard.openApplication')}
        </Link>
      </section>
    );
  }

  return (
    <div className="space-y-4">
      <ol className="flex flex-wrap gap-2 text-sm" aria-label={t('wizard.steps')}>
        {steps.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={`rounded px-2 py-1 ${i === step ? 'bg-sky-800 text-white' : 'bg-slate-100'}`}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      {error && (
        <p role="alert" className="text-red-800">
          {error}
        </p>
      )}

      {step === 0 && (
        <form
          className="space-y-3"
          onSubmit={objectForm.handleSubmit(async (v) => {
            if (await save(v)) setStep(1);
          })}
        >
          <h2 className="text-xl font-bold">{steps[0]}</h2>
          {(['objectName', 'region', 'address', 'financingSource'] as const).map((f) => (
            <div key={f}>
              <label htmlFor={`w-${f}`} className="font-medium">
                {t(`fields.${f}`)}
              </label>
              <input id={`w-${f}`} className={input} aria-invalid={objectForm.formState.errors[f] ? true : undefined} {...objectForm.register(f)} />
              {err(objectForm.formState.errors[f]?.message)}
            </div>
          ))}
          <div>
            <label htmlFor="w-category" className="font-medium">
              {t('fields.category')}
            </label>
            <select id="w-category" className={input} {...objectForm.register('category')}>
              <option value="">—</option>
              {props.categories.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
            {err(objectForm.formState.errors.category?.message)}
          </div>
          <div>
            <label htmlFor="w-workKind" className="font-medium">
              {t('fields.workKind')}
            </label>
            <select id="w-workKind" className={input} {...objectForm.register('workKind')}>
              <option value="">—</option>
              {WORK_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`workKinds.${k}`)}
                </option>
              ))}
            </select>
            {err(objectForm.formState.errors.workKind?.message)}
          </div>
          <button type="submit" className={button} disabled={objectForm.formState.isSubmitting}>
            {t('wizard.saveNext')}
          </button>
        </form>
      )}

      {step === 1 && (
        <form
          className="space-y-3"
          onSubmit={orgForm.handleSubmit(async (v) => {
            if (await save(v)) setStep(2);
          })}
        >
          <h2 className="text-xl font-bold">{steps[1]}</h2>
          <p className="text-sm text-slate-700">{t('wizard.orgHint')}</p>
          <div>
            <label htmlFor="w-org" className="font-medium">
              {t('fields.expertOrg')}
            </label>
            <select id="w-org" className={input} {...orgForm.register('expertOrgId')}>
              <option value="">—</option>
              {props.orgs.map((o) => (
                <option key={o.orgId} value={o.orgId}>
                  {o.name}
                </option>
              ))}
            </select>
            {err(orgForm.formState.errors.expertOrgId?.message)}
          </div>
          <div className="flex gap-2">
            <button type="button" className="rounded border border-slate-600 px-4 py-2" onClick={() => setStep(0)}>
              {t('wizard.back')}
            </button>
            <button type="submit" className={button}>
              {t('wizard.saveNext')}
            </button>
          </div>
        </form>
      )}

      {step === 2 && draftId && (
        <section className="space-y-3" aria-labelledby="w-docs">
          <h2 id="w-docs" className="text-xl font-bold">
            {steps[2]}
          </h2>
          <p className="text-sm text-slate-700">{t('wizard.docsHint')}</p>
          {DOCUMENT_SLOTS.map(({ slot, costEstimate }) => {
            const done = latest.get(slot);
            const up = pending[slot];
            return (
              <div key={slot} className="space-y-2" data-testid={`slot-${slot}`}>
                <Uploader
                  name={slot}
                  label={`${t(`slots.${slot}`)}${costEstimate ? ` — ${t('costEstimateMark')}` : ''}`}
                  chunkSizeBytes={props.upload.chunkSizeBytes}
                  maxFileBytes={props.upload.maxFileBytes}
                  onUploaded={(f) => setPending((p) => ({ ...p, [slot]: f }))}
                />
                {up && (
                  <SignButton
                    action={props.actions.certify}
                    actionName="expertise.document.certify"
                    input={{ applicationId: draftId, slot, uploadId: up.uploadId, fileName: up.fileName, size: up.size, sha256: up.sha256 }}
                    label={t('wizard.certify', { name: up.fileName })}
                    demoKeys={props.demoKeys}
                    onResult={(r) => {
                      if (!r.ok) return;
                      setCertified((c) => [...c, { slot, fileName: r.data.fileName, size: r.data.size, sha256: r.data.sha256, version: r.data.version }]);
                      setPending((p) => {
                        const rest = { ...p };
                        delete rest[slot];
                        return rest;
                      });
                    }}
                  />
                )}
                {done && (
                  <p className="text-sm text-green-800" data-testid={`certified-${slot}`}>
                    {t('wizard.certified', { name: done.fileName, size: formatBytes(done.size), version: done.version })}
                  </p>
                )}
              </div>
            );
          })}
          <div className="flex gap-2">
            <button type="button" className="rounded border border-slate-600 px-4 py-2" onClick={() => setStep(1)}>
              {t('wizard.back')}
            </button>
            <button type="button" className={button} disabled={!manifest.length} onClick={() => setStep(3)}>
              {t('wizard.next')}
            </button>
          </div>
        </section>
      )}

      {step === 3 && draftId && (
        <section className="space-y-3" aria-labelledby="w-submit">
          <h2 id="w-submit" className="text-xl font-bold">
            {steps[3]}
          </h2>
          <p>{t('wizard.manifestIntro')}</p>
          <ul className="space-y-1 text-sm">
            {manifest.map((m) => (
              <li key={m.slot}>
                <span className="font-medium">{t(`slots.${m.slot}`)}</span>: <span className="break-all font-mono text-xs">{m.sha256}</span>
              </li>
            ))}
          </ul>
          <div className="flex flex-wrap gap-2">
            <button type="button" className="rounded border border-slate-600 px-4 py-2" onClick={() => setStep(2)}>
              {t('wizard.back')}
            </button>
            <SignButton
              action={props.actions.submit}
              actionName="expertise.application.submit"
              input={{ applicationId: draftId, manifest }}
              label={t('wizard.signSubmit')}
              demoKeys={props.demoKeys}
              onResult={(r) => {
                if (r.ok) setResult(r.data);
              }}
            />
          </div>
        </section>
      )}
    </div>
  );
}
