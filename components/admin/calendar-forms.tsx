'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import type { z } from 'zod';
import type { ActionResult } from '@/lib/actions';
import type { CalendarChange } from '@/lib/actions/calendar';
import { CALENDAR_EXCEPTION_KINDS } from '@/lib/time/calendar';
import { calendarDayInputSchema, removeCalendarDaySchema } from '@/lib/time/calendar-schemas';
import { fieldErrorText } from './field-error';

type DayIn = z.input<typeof calendarDayInputSchema>;
type DayOut = z.output<typeof calendarDayInputSchema>;
type RemoveIn = z.input<typeof removeCalendarDaySchema>;

const input = 'mt-1 block w-full rounded border border-slate-500 px-2 py-1 aria-[invalid=true]:border-red-700';
const button = 'rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900 disabled:opacity-70';

/** After a change: which day, and which deadlines moved (none until domains register open deadlines). */
function useOutcome() {
  const t = useTranslations('calendar');
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const show = (key: 'added' | 'updated' | 'removed', r: ActionResult<CalendarChange>) => {
    if (r.ok) {
      const moved = r.data.moved.length ? `${t('moved', { count: r.data.moved.length })} ${r.data.moved.join('; ')}` : t('movedNone');
      setOutcome({ kind: 'ok', text: `${t(key, { date: r.data.date })} ${moved}` });
    } else setOutcome({ kind: 'error', text: r.error.message });
  };
  const view = outcome && (
    <p role={outcome.kind === 'error' ? 'alert' : 'status'} className={outcome.kind === 'error' ? 'text-red-800' : 'text-green-800'} data-testid="calendar-outcome">
      {outcome.text}
    </p>
  );
  return { show, view };
}

/** Field errors from the server (already translated) beside the fields. */
function applyServerErrors<T extends Record<string, unknown>>(
  r: ActionResult<unknown>,
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
}: {
  mode: 'add' | 'edit';
  initial?: DayIn;
  action: (input: DayIn) => Promise<ActionResult<CalendarChange>>;
}) {
  const t = useTranslations('calendar');
  const te = useTranslations('errors');
  const id = useId();
  const { show, view } = useOutcome();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<DayIn, unknown, DayOut>({
    resolver: zodResolver(calendarDayInputSchema),
    defaultValues: initial ?? { date: '', kind: 'holiday', name: '', reason: '', preliminary: false },
  });
  const onSubmit = handleSubmit(async (values) => {
    const r = await action(values);
    applyServerErrors<DayIn>(r, setError);
    show(mode === 'add' ? 'added' : 'updated', r);
    if (r.ok && mode === 'add') reset();
  });
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
    <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-2" data-testid={`calendar-form-${mode}`}>
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
      <div className="space-y-2 sm:col-span-2">
        <button type="submit" disabled={isSubmitting} className={button}>
          {isSubmitting ? t('saving') : mode === 'add' ? t('add') : t('save')}
        </button>
        {view}
      </div>
    </form>
  );
}

/** Remove a day, with the reason required for the audit journal. */
export function RemoveDayForm({ date, action }: { date: string; action: (input: RemoveIn) => Promise<ActionResult<CalendarChange>> }) {
  const t = useTranslations('calendar');
  const te = useTranslations('errors');
  const id = useId();
  const { show, view } = useOutcome();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<RemoveIn, unknown, z.output<typeof removeCalendarDaySchema>>({
    resolver: zodResolver(removeCalendarDaySchema),
    defaultValues: { date, reason: '' },
  });
  const onSubmit = handleSubmit(async (values) => {
    const r = await action(values);
    applyServerErrors<RemoveIn>(r, setError);
    show('removed', r);
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-2" data-testid="calendar-form-remove">
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
      <button type="submit" disabled={isSubmitting} className="rounded border border-red-800 px-4 py-2 font-medium text-red-800 hover:bg-red-50 disabled:opacity-70">
        {isSubmitting ? t('saving') : t('remove')}
      </button>
      {view}
    </form>
  );
}
