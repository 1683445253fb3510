'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import type { confirmRegistrationAction, refuseRegistrationAction } from '@/app/admin/registrations/actions';

/** C-7 / E-9: a reason is required unless the ground is "already registered" (the server checks the same). */
export const refusalFormSchema = z
  .object({ id: z.uuid(), ground: z.string().min(1, 'ground_required'), reason: z.string().trim().max(2000, 'too_long') })
  .superRefine((v, ctx) => {
    if (v.ground && v.ground !== 'already_registered' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason_required' });
  });
type RefusalValues = z.input<typeof refusalFormSchema>;

export type DecisionProps = {
  id: string;
  rule: string;
  grounds: readonly string[];
  demoKeys: DemoSignKey[] | null;
  actions: { confirm: typeof confirmRegistrationAction; refuse: typeof refuseRegistrationAction };
};

/** The operator's decision on a request: confirm or refuse, each signed with the operator's EDS. */
export function Decision({ id, rule, grounds, demoKeys, actions }: DecisionProps) {
  const t = useTranslations('registration');
  const router = useRouter();
  const uid = useId();
  const form = useForm<RefusalValues>({ resolver: zodResolver(refusalFormSchema), defaultValues: { id, ground: grounds.length === 1 ? grounds[0] : '', reason: '' } });
  const err = (name: 'ground' | 'reason') => {
    const e = form.formState.errors[name];
    if (!e) return null;
    const text = e.type === 'server' ? e.message : t.has(`form.errors.${e.message}`) ? t(`form.errors.${e.message}`) : t('form.errors.invalid');
    return (
      <p id={`${uid}-${name}-error`} className="mt-1 text-sm text-red-800" data-testid={`error-${name}`}>
        {text}
      </p>
    );
  };
  const onResult = (r: { ok: boolean; error?: { fields?: Record<string, string> } }) => {
    if (r.ok) return router.refresh();
    for (const [k, m] of Object.entries(r.error?.fields ?? {})) if (k === 'ground' || k === 'reason') form.setError(k, { type: 'server', message: m });
  };
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <section aria-labelledby={`${uid}-confirm`} className="space-y-2 rounded-lg border border-green-700 p-4">
        <h2 id={`${uid}-confirm`} className="text-xl font-semibold">
          {t('decision.confirmTitle')}
        </h2>
        <p className="text-sm text-slate-700">{t('decision.confirmText')}</p>
        <SignButton action={actions.confirm} actionName="registration.confirm" input={{ id }} label={t('decision.confirm')} demoKeys={demoKeys} onResult={onResult} />
      </section>
      <section aria-labelledby={`${uid}-refuse`} className="space-y-2 rounded-lg border border-red-700 p-4">
        <h2 id={`${uid}-refuse`} className="text-xl font-semibold">
          {t('decision.refuseTitle')}
        </h2>
        <p className="text-sm text-slate-700">{t('decision.refuseText', { rule })}</p>
        <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-3">
          <div>
            <label htmlFor={`${uid}-ground`} className="block font-medium">
              {t('decision.ground')}
            </label>
            <select
              id={`${uid}-ground`}
              className="mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1"
              aria-invalid={form.formState.errors.ground ? true : undefined}
              aria-describedby={form.formState.errors.ground ? `${uid}-ground-error` : undefined}
              {...form.register('ground')}
            >
              {grounds.length > 1 ? <option value="">—</option> : null}
              {grounds.map((g) => (
                <option key={g} value={g}>
                  {t(`ground.${g}`)}
                </option>
              ))}
            </select>
            {err('ground')}
          </div>
          <div>
            <label htmlFor={`${uid}-reason`} className="block font-medium">
              {t('decision.reason')}
            </label>
            <textarea
              id={`${uid}-reason`}
              rows={3}
              className="mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1"
              aria-invalid={form.formState.errors.reason ? true : undefined}
              aria-describedby={form.formState.errors.reason ? `${uid}-reason-error` : undefined}
              {...form.register('reason')}
            />
            {err('reason')}
          </div>
          <SignButton action={actions.refuse} actionName="registration.refuse" input={validatedValues(form)} label={t('decision.refuse')} demoKeys={demoKeys} onResult={onResult} />
        </form>
      </section>
    </div>
  );
}
