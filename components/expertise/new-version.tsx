'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { SignButton, type DemoSignKey } from '@/components/eds/sign-button';
import { Uploader, type UploadedFile } from '@/components/upload/uploader';
import type { answerWithVersionAction } from '@/app/expertise/applications/actions';
import { DOCUMENT_SLOTS, type DocumentSlot } from './slots';

/** E-48/E-51: upload a new version of a document and certify it with the applicant's EDS. */
export function NewVersionForm(props: {
  applicationId: string;
  upload: { chunkSizeBytes: number; maxFileBytes: number };
  demoKeys: DemoSignKey[] | null;
  action: typeof answerWithVersionAction;
}) {
  const t = useTranslations('expertiseApp');
  const router = useRouter();
  const [slot, setSlot] = useState<DocumentSlot>(DOCUMENT_SLOTS[0].slot);
  const [file, setFile] = useState<UploadedFile | null>(null);
  return (
    <div className="space-y-2">
      <label htmlFor="nv-slot" className="font-medium">
        {t('detail.versionSlot')}
      </label>
      <select id="nv-slot" className="block w-full rounded border border-slate-500 bg-white px-2 py-1" value={slot} onChange={(e) => setSlot(e.target.value as DocumentSlot)}>
        {DOCUMENT_SLOTS.map((s) => (
          <option key={s.slot} value={s.slot}>
            {t(`slots.${s.slot}`)}
          </option>
        ))}
      </select>
      <Uploader name="new-version" label={t('detail.versionFile')} {...props.upload} onUploaded={setFile} />
      {file && (
        <SignButton
          action={props.action}
          actionName="expertise.document.version"
          input={{ applicationId: props.applicationId, slot, uploadId: file.uploadId, fileName: file.fileName, size: file.size, sha256: file.sha256 }}
          label={t('detail.signVersion')}
          successMessage={t('detail.versionSent')}
          demoKeys={props.demoKeys}
          onResult={(r) => {
            if (r.ok) {
              setFile(null);
              router.refresh();
            }
          }}
        />
      )}
    </div>
  );
}
