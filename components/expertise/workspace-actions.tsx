'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { SignButton, type DemoSignKey } from '@/components/eds/sign-button';
import { Uploader, type UploadedFile } from '@/components/upload/uploader';
import type * as A from '@/app/expertise/workspace/actions';

type Doc = { id: string; slot: string; version: number; fileName: string };
export type WorkspaceActionsProps = {
  applicationId: string;
  status: string;
  completenessLocked: boolean;
  expertDocuments: Doc[];
  upload: { chunkSizeBytes: number; maxFileBytes: number };
  demoKeys: DemoSignKey[] | null;
  actions: {
    completeness: typeof A.recordCompletenessAction;
    remarks: typeof A.issueRemarksAction;
    issue: typeof A.issueDocumentAction;
    revise: typeof A.reviseDocumentAction;
    conclusion: typeof A.signConclusionAction;
    payment: typeof A.confirmPaymentAction;
  };
};

const box = 'space-y-2 rounded-lg border border-slate-300 p-4';
const field = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1';
const fileOf = (f: UploadedFile) => ({ uploadId: f.uploadId, fileName: f.fileName, size: f.size, sha256: f.sha256 });

/** The expert's signed actions on one application (E-45, E-46, E-48, E-50, E-51). */
export function WorkspaceActions(p: WorkspaceActionsProps) {
  const t = useTranslations('expertiseWs');
  const router = useRouter();
  const refresh = (r: { ok: boolean }) => {
    if (r.ok) router.refresh();
  };
  const [result, setResult] = useState<'positive' | 'negative'>('positive');
  const [compRemarks, setCompRemarks] = useState('');
  const [remarks, setRemarks] = useState('');
  const [slot, setSlot] = useState('agreement');
  const [issueFile, setIssueFile] = useState<UploadedFile | null>(null);
  const [prevId, setPrevId] = useState(p.expertDocuments[0]?.id ?? '');
  const [reason, setReason] = useState('');
  const [reviseFile, setReviseFile] = useState<UploadedFile | null>(null);
  const [conclusionFile, setConclusionFile] = useState<UploadedFile | null>(null);
  const [outcome, setOutcome] = useState<'positive' | 'negative'>('positive');
  const [basis, setBasis] = useState('');
  const inReview = ['registered', 'incomplete', 'in_review', 'remarks_issued'].includes(p.status);
  // The list of current expert documents changes after each signed change (router.refresh): a choice that is no
  // longer in it (e.g. the version just annulled) falls back to the first one shown.
  const previousId = p.expertDocuments.some((d) => d.id === prevId) ? prevId : (p.expertDocuments[0]?.id ?? '');
  const common = { demoKeys: p.demoKeys, onResult: refresh };

  return (
    <div className="space-y-4">
      {!p.completenessLocked && ['registered', 'incomplete'].includes(p.status) && (
        <section className={box} aria-labelledby="ws-comp">
          <h2 id="ws-comp" className="text-lg font-bold">
            {t('completenessTitle')}
          </h2>
          <fieldset>
            <legend className="font-medium">{t('completenessResult')}</legend>
            {(['positive', 'negative'] as const).map((r) => (
              <label key={r} className="mr-4 inline-flex items-center gap-1">
                <input type="radio" name="comp-result" value={r} checked={result === r} onChange={() => setResult(r)} /> {t(`result.${r}`)}
              </label>
            ))}
          </fieldset>
          <label htmlFor="ws-comp-remarks" className="font-medium">
            {t('completenessRemarks')}
          </label>
          <textarea id="ws-comp-remarks" className={field} rows={3} value={compRemarks} onChange={(e) => setCompRemarks(e.target.value)} />
          <SignButton
            {...common}
            action={p.actions.completeness}
            actionName="expertise.completeness.record"
            input={{ applicationId: p.applicationId, result, ...(compRemarks.trim() ? { remarks: compRemarks } : {}) }}
            label={t('signCompleteness')}
            successMessage={t('saved')}
          />
        </section>
      )}

      {inReview && (
        <section className={box} aria-labelledby="ws-remarks">
          <h2 id="ws-remarks" className="text-lg font-bold">
            {t('remarksTitle')}
          </h2>
          <p className="text-sm text-slate-700">{t('remarksHint')}</p>
          <label htmlFor="ws-remarks-text" className="font-medium">
            {t('remarksText')}
          </label>
          <textarea id="ws-remarks-text" className={field} rows={4} value={remarks} onChange={(e) => setRemarks(e.target.value)} />
          <SignButton
            {...common}
            action={p.actions.remarks}
            actionName="expertise.remarks.issue"
            input={remarks.trim() ? { applicationId: p.applicationId, text: remarks } : undefined}
            label={t('signRemarks')}
            successMessage={t('remarksIssued')}
          />
        </section>
      )}

      {inReview && (
        <section className={box} aria-labelledby="ws-issue">
          <h2 id="ws-issue" className="text-lg font-bold">
            {t('issueTitle')}
          </h2>
          <label htmlFor="ws-issue-slot" className="font-medium">
            {t('issueSlot')}
          </label>
          <select id="ws-issue-slot" className={field} value={slot} onChange={(e) => setSlot(e.target.value)}>
            {['agreement', 'contract', 'invoice', 'interim_opinion'].map((s) => (
              <option key={s} value={s}>
                {t(`expertSlots.${s}`)}
              </option>
            ))}
          </select>
          <Uploader name="issue" label={t('file')} {...p.upload} onUploaded={setIssueFile} />
          {issueFile && (
            <SignButton
              {...common}
              action={p.actions.issue}
              actionName="expertise.document.issue"
              input={{ applicationId: p.applicationId, slot, file: fileOf(issueFile) }}
              label={t('signIssue')}
              successMessage={t('saved')}
            />
          )}
        </section>
      )}

      {inReview && p.expertDocuments.length > 0 && (
        <section className={box} aria-labelledby="ws-revise">
          <h2 id="ws-revise" className="text-lg font-bold">
            {t('reviseTitle')}
          </h2>
          <p className="text-sm text-slate-700">{t('reviseHint')}</p>
          <label htmlFor="ws-revise-doc" className="font-medium">
            {t('reviseDocument')}
          </label>
          <select id="ws-revise-doc" className={field} value={previousId} onChange={(e) => setPrevId(e.target.value)}>
            {p.expertDocuments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.slot} v{d.version} — {d.fileName}
              </option>
            ))}
          </select>
          <label htmlFor="ws-revise-reason" className="font-medium">
            {t('reviseReason')}
          </label>
          <input id="ws-revise-reason" className={field} value={reason} onChange={(e) => setReason(e.target.value)} />
          <Uploader name="revise" label={t('file')} {...p.upload} onUploaded={setReviseFile} />
          {reviseFile && (
            <SignButton
              {...common}
              action={p.actions.revise}
              actionName="expertise.document.revise"
              input={reason.trim() && previousId ? { applicationId: p.applicationId, previousDocumentId: previousId, reason, file: fileOf(reviseFile) } : undefined}
              label={t('signRevise')}
              successMessage={t('saved')}
            />
          )}
        </section>
      )}

      {['in_review', 'remarks_issued'].includes(p.status) && (
        <section className={box} aria-labelledby="ws-conclusion">
          <h2 id="ws-conclusion" className="text-lg font-bold">
            {t('conclusionTitle')}
          </h2>
          <Uploader name="conclusion" label={t('conclusionFile')} {...p.upload} onUploaded={setConclusionFile} />
          <fieldset className="mt-3 flex flex-wrap gap-4">
            <legend className="font-medium">{t('outcomeLegend')}</legend>
            {(['positive', 'negative'] as const).map((o) => (
              <label key={o} className="flex items-center gap-2">
                <input type="radio" name="ws-outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                {t(o === 'positive' ? 'outcomePositive' : 'outcomeNegative')}
              </label>
            ))}
          </fieldset>
          {conclusionFile && (
            <SignButton
              {...common}
              action={p.actions.conclusion}
              actionName="expertise.conclusion.sign"
              input={{ applicationId: p.applicationId, file: fileOf(conclusionFile), outcome }}
              label={t('signConclusion')}
              successMessage={t('saved')}
            />
          )}
        </section>
      )}

      {p.status === 'conclusion_signed' && (
        <section className={box} aria-labelledby="ws-payment">
          <h2 id="ws-payment" className="text-lg font-bold">
            {t('paymentTitle')}
          </h2>
          <label htmlFor="ws-basis" className="font-medium">
            {t('paymentBasis')}
          </label>
          <input id="ws-basis" className={field} value={basis} onChange={(e) => setBasis(e.target.value)} />
          <SignButton
            {...common}
            action={p.actions.payment}
            actionName="expertise.payment.confirm"
            input={basis.trim() ? { applicationId: p.applicationId, basis } : undefined}
            label={t('signPayment')}
            successMessage={t('saved')}
          />
        </section>
      )}
    </div>
  );
}
