'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useFieldArray, useForm, useWatch, type FieldError } from 'react-hook-form';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import { Uploader, formatBytes, type UploadedFile } from '@/components/upload/uploader';
import type { certifyAttachmentAction, signFormAction, submitRegistrationAction } from '@/app/register/actions';
import {
  AUTHORITY_TYPES,
  FORMS_OF,
  PERSON_TYPES,
  TERM_OF,
  asksBankDetails,
  attachmentsOf,
  registrationFormSchema,
  type PageKind,
  type PersonType,
  type RegistrationFormValues,
} from './kinds';

export type FormVersion = { kind: string; id: string; version: number; title: string; body: string; inForceFrom: string };
type Submitted = Extract<Awaited<ReturnType<typeof submitRegistrationAction>>, { ok: true }>['data'];

export type RegistrationFormProps = {
  pageKind: PageKind;
  applicant: { fullName: string; iin: string; organisation: string | null; bin: string | null };
  /** The versions in force of the forms this kind signs (E-7); null where none is published. */
  forms: (FormVersion | null)[];
  /** C-7: an existing registration of the subject, per person type. */
  existing: Partial<Record<PersonType, { id: string; status: 'submitted' | 'confirmed' }>>;
  upload: { chunkSizeBytes: number; maxFileBytes: number };
  demoKeys: DemoSignKey[] | null;
  actions: { certify: typeof certifyAttachmentAction; signForm: typeof signFormAction; submit: typeof submitRegistrationAction };
};

const inputCls = 'mt-1 block w-full max-w-xl rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';
const section = 'space-y-3 rounded-lg border border-slate-300 p-4';

/** C-6 / E-8 / E-12 / P-6 / P-7: one registration form; every document and the request are signed with EDS. */
export function RegistrationForm(props: RegistrationFormProps) {
  const t = useTranslations('registration');
  const uid = useId();
  const allowed = PERSON_TYPES[props.pageKind].filter((p) => p === 'individual' || props.applicant.bin);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const [pending, setPending] = useState<Record<string, UploadedFile>>({});
  const [signedForms, setSignedForms] = useState<Record<string, number | null>>({});
  const [duplicate, setDuplicate] = useState<string | null>(null);

  const form = useForm<RegistrationFormValues>({
    resolver: zodResolver(registrationFormSchema),
    defaultValues: {
      pageKind: props.pageKind,
      personType: allowed[0] ?? 'legal_entity',
      phone: '',
      email: '',
      address: '',
      bankName: '',
      iban: '',
      bic: '',
      certificateNumber: '',
      issuedOn: '',
      validUntil: '',
      expertsCount: '',
      sections: '',
      authorityType: '',
      responsiblePersons: props.pageKind === 'authorised' ? [{ iin: '', fullName: '', position: '' }] : [],
      attachments: [],
      acceptances: {},
    },
  });
  const persons = useFieldArray({ control: form.control, name: 'responsiblePersons' });
  const personType = useWatch({ control: form.control, name: 'personType' }) as PersonType;
  const attachments = useWatch({ control: form.control, name: 'attachments' });
  const errors = form.formState.errors as Record<string, FieldError | undefined> & { responsiblePersons?: unknown };
  const term = TERM_OF[props.pageKind];
  const existing = props.existing[personType];

  const errorText = (err: FieldError | undefined): string | undefined => {
    if (!err) return undefined;
    if (err.type === 'server') return err.message;
    const key = `form.errors.${err.message}`;
    return err.message && t.has(key) ? t(key) : t('form.errors.invalid');
  };
  const fieldError = (name: string, err: FieldError | undefined) => {
    const text = errorText(err);
    return text ? (
      <p id={`${uid}-${name}-error`} className="mt-1 text-sm text-red-800" data-testid={`error-${name}`}>
        {text}
      </p>
    ) : null;
  };
  const described = (name: string, err: unknown) => (err ? { 'aria-invalid': true as const, 'aria-describedby': `${uid}-${name}-error` } : {});

  function textField(name: 'phone' | 'email' | 'address' | 'bankName' | 'iban' | 'bic' | 'certificateNumber' | 'expertsCount', opts: { optional?: boolean; type?: string; autoComplete?: string } = {}) {
    const err = errors[name];
    return (
      <div key={name}>
        <label htmlFor={`${uid}-${name}`} className="block font-medium">
          {t(`form.fields.${name}`)}
          {opts.optional ? <span className="font-normal text-slate-700"> ({t('form.optional')})</span> : null}
        </label>
        <input id={`${uid}-${name}`} type={opts.type ?? 'text'} autoComplete={opts.autoComplete} className={inputCls} {...described(name, err)} {...form.register(name)} />
        {fieldError(name, err)}
      </div>
    );
  }

  if (submitted) {
    return (
      <section aria-labelledby={`${uid}-done`} className="space-y-3 rounded-lg border border-green-700 bg-green-50 p-4" data-testid="registration-submitted">
        <h2 id={`${uid}-done`} className="text-xl font-bold">
          {submitted.duplicate ? t('form.duplicatePending') : t('form.submittedTitle')}
        </h2>
        <p>{term ? t('form.submittedTerm', { days: term.days, rule: term.rule }) : t('form.submittedNoTerm')}</p>
        <Link href={`/register/requests/${submitted.id}`} className="inline-block text-sky-800 underline" data-testid="open-request">
          {t('form.openRequest')}
        </Link>
      </section>
    );
  }

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-6">
      <section aria-labelledby={`${uid}-applicant`} className={section}>
        <h2 id={`${uid}-applicant`} className="text-xl font-semibold">
          {t('form.applicant')}
        </h2>
        <p className="text-sm text-slate-700">{t('form.fromCertificate')}</p>
        <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">{t('form.name')}</dt>
          <dd>{props.applicant.fullName}</dd>
          <dt className="font-medium">{t('form.iin')}</dt>
          <dd className="font-mono">{props.applicant.iin}</dd>
          {props.applicant.bin ? (
            <>
              <dt className="font-medium">{t('form.organisation')}</dt>
              <dd>{props.applicant.organisation}</dd>
              <dt className="font-medium">{t('form.bin')}</dt>
              <dd className="font-mono">{props.applicant.bin}</dd>
            </>
          ) : null}
        </dl>
        <fieldset>
          <legend className="font-medium">{t('form.personType')}</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {PERSON_TYPES[props.pageKind].map((p) => (
              <label key={p} className="flex items-center gap-2">
                <input type="radio" value={p} disabled={!allowed.includes(p)} {...form.register('personType')} />
                {t(`personType.${p}`)}
              </label>
            ))}
          </div>
          {!props.applicant.bin && PERSON_TYPES[props.pageKind].includes('legal_entity') ? <p className="mt-1 text-sm text-slate-700">{t('form.noBin')}</p> : null}
          {fieldError('personType', errors.personType)}
        </fieldset>
        {existing ? (
          <p role="status" className="rounded border border-amber-500 bg-amber-50 p-2" data-testid="existing-registration">
            {existing.status === 'confirmed' ? t('form.alreadyRegistered') : t('form.alreadyPending')}{' '}
            <Link href={`/register/requests/${existing.id}`} className="text-sky-800 underline">
              {t('form.openRequest')}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby={`${uid}-contact`} className={section}>
        <h2 id={`${uid}-contact`} className="text-xl font-semibold">
          {t('form.contact')}
        </h2>
        {textField('phone', { type: 'tel', autoComplete: 'tel' })}
        {textField('email', { type: 'email', autoComplete: 'email' })}
        {textField('address', { autoComplete: 'street-address' })}
      </section>

      {asksBankDetails(props.pageKind) ? (
        <section aria-labelledby={`${uid}-bank`} className={section}>
          <h2 id={`${uid}-bank`} className="text-xl font-semibold">
            {t('form.bank')}
          </h2>
          {personType === 'individual' ? <p className="text-sm text-slate-700">{t('form.bankOptional')}</p> : null}
          {textField('bankName', { optional: personType === 'individual' })}
          {textField('iban', { optional: personType === 'individual' })}
          {textField('bic', { optional: personType === 'individual' })}
        </section>
      ) : null}

      {props.pageKind === 'expert-organisation' ? (
        <section aria-labelledby={`${uid}-accr`} className={section}>
          <h2 id={`${uid}-accr`} className="text-xl font-semibold">
            {t('form.accreditation')}
          </h2>
          {textField('certificateNumber')}
          {(['issuedOn', 'validUntil'] as const).map((name) => (
            <div key={name}>
              <label htmlFor={`${uid}-${name}`} className="block font-medium">
                {t(`form.fields.${name}`)}
              </label>
              <input id={`${uid}-${name}`} type="date" className={inputCls} {...described(name, errors[name])} {...form.register(name)} />
              {fieldError(name, errors[name])}
            </div>
          ))}
          <h3 className="font-semibold">{t('form.questionnaire')}</h3>
          {textField('expertsCount', { type: 'number' })}
          <div>
            <label htmlFor={`${uid}-sections`} className="block font-medium">
              {t('form.fields.sections')}
            </label>
            <textarea id={`${uid}-sections`} rows={3} className={inputCls} {...described('sections', errors.sections)} {...form.register('sections')} />
            {fieldError('sections', errors.sections)}
          </div>
        </section>
      ) : null}

      {props.pageKind === 'authorised' ? (
        <section aria-labelledby={`${uid}-auth`} className={section}>
          <h2 id={`${uid}-auth`} className="text-xl font-semibold">
            {t('form.authorised')}
          </h2>
          <div>
            <label htmlFor={`${uid}-authorityType`} className="block font-medium">
              {t('form.fields.authorityType')}
            </label>
            <select id={`${uid}-authorityType`} className={inputCls} {...described('authorityType', errors.authorityType)} {...form.register('authorityType')}>
              <option value="">—</option>
              {AUTHORITY_TYPES.map((a) => (
                <option key={a} value={a}>
                  {t(`authorityType.${a}`)}
                </option>
              ))}
            </select>
            {fieldError('authorityType', errors.authorityType)}
          </div>
          <h3 className="font-semibold">{t('form.responsible')}</h3>
          <p className="text-sm text-slate-700">{t('form.responsibleHint')}</p>
          {fieldError('responsiblePersons', (errors.responsiblePersons as { root?: FieldError; message?: string; type?: string } | undefined)?.message ? (errors.responsiblePersons as FieldError) : undefined)}
          <ol className="space-y-3">
            {persons.fields.map((f, i) => {
              const pe = (form.formState.errors.responsiblePersons as Record<number, Record<string, FieldError | undefined>> | undefined)?.[i];
              return (
                <li key={f.id} className="rounded border border-slate-300 p-3">
                  <fieldset className="space-y-2">
                    <legend className="font-medium">{t('form.person', { n: i + 1 })}</legend>
                    {(['iin', 'fullName', 'position'] as const).map((name) => (
                      <div key={name}>
                        <label htmlFor={`${uid}-p${i}-${name}`} className="block">
                          {t(`form.fields.person_${name}`)}
                        </label>
                        <input id={`${uid}-p${i}-${name}`} className={inputCls} {...described(`p${i}-${name}`, pe?.[name])} {...form.register(`responsiblePersons.${i}.${name}`)} />
                        {fieldError(`p${i}-${name}`, pe?.[name])}
                      </div>
                    ))}
                    {persons.fields.length > 1 ? (
                      <button type="button" className="rounded border border-slate-600 px-3 py-1" onClick={() => persons.remove(i)}>
                        {t('form.removePerson', { n: i + 1 })}
                      </button>
                    ) : null}
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <button type="button" className="rounded border border-slate-600 px-3 py-1" onClick={() => persons.append({ iin: '', fullName: '', position: '' })}>
            {t('form.addPerson')}
          </button>
        </section>
      ) : null}

      {attachmentsOf(props.pageKind, personType).length ? (
        <section aria-labelledby={`${uid}-files`} className={section}>
          <h2 id={`${uid}-files`} className="text-xl font-semibold">
            {t('form.attachments')}
          </h2>
          <p className="text-sm text-slate-700">{t('form.attachmentsHint')}</p>
          {attachmentsOf(props.pageKind, personType).map((type) => {
            const done = attachments.find((a) => a.type === type);
            const up = pending[type];
            const err = errors[`attachment_${type}`];
            return (
              <div key={type} className="space-y-2" data-testid={`attachment-${type}`}>
                <Uploader
                  name={`reg-${type}`}
                  label={t(`attachment.${type}`)}
                  chunkSizeBytes={props.upload.chunkSizeBytes}
                  maxFileBytes={props.upload.maxFileBytes}
                  onUploaded={(f) => setPending((p) => ({ ...p, [type]: f }))}
                />
                {up ? (
                  <SignButton
                    action={props.actions.certify}
                    actionName="registration.attachment.certify"
                    input={{ type, uploadId: up.uploadId, fileName: up.fileName, size: up.size, sha256: up.sha256 }}
                    label={t('form.certify', { name: up.fileName })}
                    demoKeys={props.demoKeys}
                    onResult={(r) => {
                      if (!r.ok) return;
                      const rest = form.getValues('attachments').filter((a) => a.type !== type);
                      form.setValue('attachments', [...rest, r.data], { shouldDirty: true });
                      form.clearErrors(`attachment_${type}` as never);
                      setPending((p) => {
                        const next = { ...p };
                        delete next[type];
                        return next;
                      });
                    }}
                  />
                ) : null}
                {done ? (
                  <p className="text-sm text-green-800" data-testid={`certified-${type}`}>
                    {t('form.certified', { name: done.name })}
                  </p>
                ) : null}
                {fieldError(`attachment_${type}`, err)}
              </div>
            );
          })}
          <p className="text-xs text-slate-600">{t('form.sizeNote', { max: formatBytes(props.upload.maxFileBytes) })}</p>
        </section>
      ) : null}

      {FORMS_OF[props.pageKind].length ? (
        <section aria-labelledby={`${uid}-forms`} className={section}>
          <h2 id={`${uid}-forms`} className="text-xl font-semibold">
            {t('form.forms')}
          </h2>
          {FORMS_OF[props.pageKind].map((kind, i) => {
            const f = props.forms[i];
            const err = errors[`form_${kind}`];
            if (!f) {
              return (
                <p key={kind} role="alert" className="text-red-800">
                  {t('form.noFormInForce', { form: t(`formKind.${kind}`) })}
                </p>
              );
            }
            const signed = kind in signedForms;
            return (
              <article key={kind} aria-labelledby={`${uid}-f-${kind}`} className="space-y-2 rounded border border-slate-300 p-3" data-testid={`form-${kind}`}>
                <h3 id={`${uid}-f-${kind}`} className="font-semibold">
                  {f.title}
                </h3>
                <p className="text-sm text-slate-700" data-testid={`form-version-${kind}`}>
                  {t('form.version', { version: f.version, date: f.inForceFrom })}
                </p>
                <div className="whitespace-pre-line rounded bg-slate-50 p-2 text-sm">{f.body}</div>
                {signed ? (
                  <p className="text-sm text-green-800" data-testid={`form-signed-${kind}`}>
                    {t('form.formSigned', { version: f.version })}
                  </p>
                ) : (
                  <SignButton
                    action={props.actions.signForm}
                    actionName="registration.form.sign"
                    input={{ kind, formDocumentId: f.id }}
                    label={t('form.signForm', { version: f.version })}
                    demoKeys={props.demoKeys}
                    onResult={(r) => {
                      if (!r.ok) return;
                      form.setValue('acceptances', { ...form.getValues('acceptances'), [kind]: r.data.acceptanceId }, { shouldDirty: true });
                      form.clearErrors(`form_${kind}` as never);
                      setSignedForms((s) => ({ ...s, [kind]: r.data.version }));
                    }}
                  />
                )}
                {fieldError(`form_${kind}`, err)}
              </article>
            );
          })}
        </section>
      ) : null}

      <section aria-labelledby={`${uid}-submit`} className={section}>
        <h2 id={`${uid}-submit`} className="text-xl font-semibold">
          {t('form.submit')}
        </h2>
        <p>{term ? t('form.term', { days: term.days, rule: term.rule }) : t('form.noTerm')}</p>
        {duplicate ? (
          <p role="alert" className="rounded border border-red-700 bg-red-50 p-2 text-red-900" data-testid="duplicate-error">
            {duplicate}
          </p>
        ) : null}
        <SignButton
          action={props.actions.submit}
          actionName="registration.submit"
          input={validatedValues(form)}
          label={t('form.signSubmit')}
          demoKeys={props.demoKeys}
          onResult={(r) => {
            setDuplicate(null);
            if (r.ok) return setSubmitted(r.data);
            if (r.error.code === 'duplicate') return setDuplicate(t('form.alreadyRegistered'));
            for (const [k, m] of Object.entries(r.error.fields ?? {})) {
              const name = k.startsWith('attachments.') ? `attachment_${k.slice(12)}` : k.startsWith('forms.') ? `form_${k.slice(6)}` : k;
              form.setError(name as never, { type: 'server', message: m });
            }
          }}
        />
      </section>
    </form>
  );
}
