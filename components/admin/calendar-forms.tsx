'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import type { z } from 'zod';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import type { CalendarChange } from '@/lib/actions/calendar-signed';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';
import { CALENDAR_EXCEPTION_KINDS } from '@/lib/time/calendar';
import { calendarDayInputSchema, removeCalendarDaySchema } from '@/lib/time/calendar-schemas';
import { fieldErrorText } from './field-error';

type DayIn = z.input<typeof calendarDayInputSchema>;
type DayOut = z.output<typeof calendarDayInputSchema>;
type RemoveIn = z.input<typeof removeCalendarDaySchema>;
type RemoveOut = z.output<typeof removeCalendarDaySchema>;

const input = 'mt-1 block w-full rounded border border-slate-500 px-2 py-1 aria-[invalid=true]:border-red-700';
type CalendarAction = (payload: SignedPayload) => Promise<SignedActionResult<CalendarChange>>;
/** What every calendar form needs to sign: the server action, the name it signs under, the demo keys (test mode). */
type SignProps = { action: CalendarAction; actionName: string; demoKeys: DemoSignKey[] | null };

/**
 * After a signed change: which day, and which deadlines moved (none until domains register open deadlines).
 * Shown by <SignButton> as its success message; its failures (signature, nonce, server refusals) it shows itself.
 */
function useOutcome() {
  const t = useTranslations('calendar');
  const [text, setText] = useState<string | undefined>(undefined);
  const show = (key: 'added' | 'updated' | 'removed', r: SignedActionResult<CalendarChange>) => {
    if (!r.ok) return setText(undefined);
    const moved = r.data.moved.length ? `${t('moved', { count: r.data.moved.length })} ${r.data.moved.join('; ')}` : t('movedNone');
    setText(`${t(key, { date: r.data.date })} ${moved}`);
  };
  return { show, text };
}

/** Field errors from the server (already translated) beside the fields. */
function applyServerErrors<T extends Record<string, unknown>>(
  r: SignedActionResult<unknown>,
  setError: (name: Path<T>, e: { type: string; message: string }) => void,
) {
  if (!r.ok && r.error.fields) {
    for (const [name, message] of Object.entries(r.error.fields)) setError(name as Path<T>, { type: 'server', message });
  }
}

/** Add a day (mode 'add') or edit one (mode 'edit': the date is fixed). */
export function CalendarDayForm({
  mode,
  initial,
  action,
  actionName,
  demoKeys,
}: {
  mode: 'add' | 'edit';
  initial?: DayIn;
} & SignProps) {
  const t = useTranslations('calendar');
  const te = useTranslations('errors');
  const id = useId();
  const outcome = useOutcome();
  const form = useForm<DayIn, unknown, DayOut>({
    resolver: zodResolver(calendarDayInputSchema),
    defaultValues: initial ?? { date: '', kind: 'holiday', name: '', reason: '', preliminary: false },
  });
  const {
    register,
    setError,
    reset,
    formState: { errors },
  } = form;
  const onResult = (r: SignedActionResult<CalendarChange>) => {
    applyServerErrors<DayIn>(r, setError);
    outcome.show(mode === 'add' ? 'added' : 'updated', r);
    if (r.ok && mode === 'add') reset();
  };
  const err = (name: keyof DayIn) => fieldErrorText(te, errors[name]);
  const described = (name: keyof DayIn, extra?: string) =>
    [errors[name] ? `${id}-${name}-error` : null, extra].filter(Boolean).join(' ') || undefined;
  const errorText = (name: keyof DayIn) =>
    errors[name] ? (
      <p id={`${id}-${name}-error`} className="mt-1 text-sm text-red-800">
        {err(name)}
      </p>
    ) : null;

  return (
    // the form only validates; <SignButton> signs the validated values and sends them.
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2" data-testid={`calendar-form-${mode}`}>
      <div>
        <label htmlFor={`${id}-date`} className="text-sm font-medium">
          {t('fields.date')}
        </label>
        <input id={`${id}-date`} type="date" readOnly={mode === 'edit'} className={input} aria-invalid={errors.date ? true : undefined} aria-describedby={described('date')} {...register('date')} />
        {errorText('date')}
      </div>
      <div>
        <label htmlFor={`${id}-kind`} className="text-sm font-medium">
          {t('fields.kind')}
        </label>
        <select id={`${id}-kind`} className={input} aria-invalid={errors.kind ? true : undefined} aria-describedby={described('kind')} {...register('kind')}>
          {CALENDAR_EXCEPTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kinds.${k}`)}
            </option>
          ))}
        </select>
        {errorText('kind')}
      </div>
      <div className="sm:col-span-2">
        <label htmlFor={`${id}-name`} className="text-sm font-medium">
          {t('fields.name')}
        </label>
        <input id={`${id}-name`} className={input} aria-invalid={errors.name ? true : undefined} aria-describedby={described('name')} {...register('name')} />
        {errorText('name')}
      </div>
      <div className="sm:col-span-2">
        <label htmlFor={`${id}-reason`} className="text-sm font-medium">
          {t('fields.reason')}
        </label>
        <p id={`${id}-reason-hint`} className="text-sm text-slate-700">
          {t('fields.reasonHint')}
        </p>
        <textarea id={`${id}-reason`} rows={2} className={input} aria-invalid={errors.reason ? true : undefined} aria-describedby={described('reason', `${id}-reason-hint`)} {...register('reason')} />
        {errorText('reason')}
      </div>
      <div className="flex items-center gap-2 sm:col-span-2">
        <input id={`${id}-preliminary`} type="checkbox" className="h-4 w-4" {...register('preliminary')} />
        <label htmlFor={`${id}-preliminary`} className="text-sm">
          {t('fields.preliminary')}
        </label>
      </div>
      {errors.root && <p className="text-red-800 sm:col-span-2">{errors.root.message}</p>}
      <SignButton
        className="sm:col-span-2"
        action={action}
        actionName={actionName}
        input={validatedValues(form)}
        label={mode === 'add' ? t('add') : t('save')}
        successMessage={outcome.text}
        demoKeys={demoKeys}
        onResult={onResult}
      />
    </form>
  );
}

/** Remove a day, with the reason required for the audit journal. */
export function RemoveDayForm({ date, action, actionName, demoKeys }: { date: string } & SignProps) {
  const t = useTranslations('calendar');
  const te = useTranslations('errors');
  const id = useId();
  const outcome = useOutcome();
  const form = useForm<RemoveIn, unknown, RemoveOut>({
    resolver: zodResolver(removeCalendarDaySchema),
    defaultValues: { date, reason: '' },
  });
  const {
    register,
    setError,
    formState: { errors },
  } = form;
  const onResult = (r: SignedActionResult<CalendarChange>) => {
    applyServerErrors<RemoveIn>(r, setError);
    outcome.show('removed', r);
  };
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-2" data-testid="calendar-form-remove">
      <input type="hidden" {...register('date')} />
      <div>
        <label htmlFor={`${id}-reason`} className="text-sm font-medium">
          {t('fields.reason')}
        </label>
        <textarea
          id={`${id}-reason`}
          rows={2}
          className={input}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${id}-reason-error` : undefined}
          {...register('reason')}
        />
        {errors.reason && (
          <p id={`${id}-reason-error`} className="mt-1 text-sm text-red-800">
            {fieldErrorText(te, errors.reason)}
          </p>
        )}
      </div>
      <SignButton action={action} actionName={actionName} input={validatedValues(form)} label={t('remove')} successMessage={outcome.text} demoKeys={demoKeys} onResult={onResult} />
    </form>
  );
}
