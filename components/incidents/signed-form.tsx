'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { SignButton, type DemoSignKey } from '@/components/eds/sign-button';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';

export type FieldSpec =
  | { name: string; label: string; kind: 'text' | 'textarea' | 'date' | 'time' | 'number'; hint?: string }
  | { name: string; label: string; kind: 'select'; options: { value: string; label: string }[]; hint?: string }
  | { name: string; label: string; kind: 'checkbox'; hint?: string };

export type SignedFormProps = {
  title: string;
  text?: string;
  actionName: string;
  action: (payload: SignedPayload) => Promise<SignedActionResult<unknown>>;
  /** Fixed input (e.g. the incident id) merged with the fields' values. */
  fixed?: Record<string, unknown>;
  fields: FieldSpec[];
  defaults?: Record<string, string | boolean>;
  submitLabel: string;
  demoKeys: DemoSignKey[] | null;
  testId?: string;
  tone?: 'neutral' | 'danger' | 'ok';
};

const input = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1';
const TONE = { neutral: 'border-slate-300', danger: 'border-red-700', ok: 'border-green-700' };

/** A small form whose values are signed with the user's SIGN key and sent to a signed action. */
export function SignedForm({ title, text, actionName, action, fixed, fields, defaults, submitLabel, demoKeys, testId, tone = 'neutral' }: SignedFormProps) {
  const uid = useId();
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string | boolean>>(() => ({ ...Object.fromEntries(fields.map((f) => [f.name, f.kind === 'checkbox' ? false : ''])), ...defaults }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (name: string, v: string | boolean) => setValues((s) => ({ ...s, [name]: v }));
  // empty optional fields are left out (the schema decides what is required)
  const payload = () => ({ ...fixed, ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) });
  return (
    <section aria-labelledby={`${uid}-t`} className={`space-y-3 rounded-lg border p-4 ${TONE[tone]}`} data-testid={testId}>
      <h3 id={`${uid}-t`} className="text-lg font-semibold">
        {title}
      </h3>
      {text ? <p className="text-sm text-slate-700">{text}</p> : null}
      <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2">
          {fields.map((f) => {
            const id = `${uid}-${f.name}`;
            const err = errors[f.name];
            const common = { id, 'aria-invalid': err ? true : undefined, 'aria-describedby': err ? `${id}-error` : undefined, name: f.name };
            const wide = f.kind === 'textarea' ? 'sm:col-span-2' : '';
            return (
              <div key={f.name} className={wide}>
                {f.kind === 'checkbox' ? (
                  <label className="flex items-center gap-2">
                    <input type="checkbox" {...common} checked={Boolean(values[f.name])} onChange={(e) => set(f.name, e.target.checked)} />
                    {f.label}
                  </label>
                ) : (
                  <>
                    <label htmlFor={id} className="block font-medium">
                      {f.label}
                    </label>
                    {f.kind === 'select' ? (
                      <select {...common} className={input} value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, e.target.value)}>
                        <option value="">—</option>
                        {f.options.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    ) : f.kind === 'textarea' ? (
                      <textarea {...common} rows={3} className={input} value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, e.target.value)} />
                    ) : (
                      <input {...common} type={f.kind} className={input} value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, e.target.value)} />
                    )}
                  </>
                )}
                {f.hint ? <p className="text-sm text-slate-600">{f.hint}</p> : null}
                {err ? (
                  <p id={`${id}-error`} className="mt-1 text-sm text-red-800" data-testid={`error-${f.name}`}>
                    {err}
                  </p>
                ) : null}
              </div>
            );
          })}
        </div>
        <SignButton
          action={action}
          actionName={actionName}
          input={payload}
          label={submitLabel}
          demoKeys={demoKeys}
          onResult={(r) => {
            if (r.ok) {
              setErrors({});
              router.refresh();
            } else setErrors(r.error.fields ?? {});
          }}
        />
      </form>
    </section>
  );
}
