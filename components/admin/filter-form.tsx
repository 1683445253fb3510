import Link from 'next/link';
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

/**
 * The GET filter forms of list pages: fields with visible labels, "apply" and an optional "reset" link back to
 * the unfiltered page. Two layouts: a row of fields (`label` names the form), or — with a visible `heading` — a
 * bordered panel with a grid of fields. Server-safe: the browser submits the form itself (no script needed).
 */
export function FilterForm({
  label,
  heading,
  columns = 3,
  submitLabel,
  reset,
  search = false,
  testId,
  children,
}: {
  /** The form's accessible name when it has no visible heading. */
  label?: string;
  /** A visible h2 that names the form: the panel layout. */
  heading?: { id: string; text: string };
  /** Grid columns of the panel layout on a wide screen (two on a tablet, one on a phone). */
  columns?: 3 | 5;
  submitLabel: string;
  reset?: { href: string; label: string } | null;
  /** role="search": a form that searches the page's list. */
  search?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const buttons = (
    <>
      <button type="submit" className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900">
        {submitLabel}
      </button>
      {reset ? (
        <Link href={reset.href} className="rounded border border-slate-500 px-4 py-2">
          {reset.label}
        </Link>
      ) : null}
    </>
  );
  const role = search ? 'search' : undefined;
  if (heading) {
    return (
      <form
        method="get"
        role={role}
        aria-labelledby={heading.id}
        data-testid={testId}
        className={`grid gap-3 rounded-lg border border-slate-300 p-4 sm:grid-cols-2 ${columns === 5 ? 'lg:grid-cols-5' : 'lg:grid-cols-3'}`}
      >
        <h2 id={heading.id} className="col-span-full text-lg font-semibold">
          {heading.text}
        </h2>
        {children}
        <div className="col-span-full flex flex-wrap gap-3">{buttons}</div>
      </form>
    );
  }
  return (
    <form method="get" role={role} aria-label={label} data-testid={testId} className="flex flex-wrap items-end gap-3">
      {children}
      {buttons}
    </form>
  );
}

/**
 * A field's problem: `id` is what the control's aria-describedby points to; `text` is shown under this field
 * (leave it out on the other fields of a pair that share one message, e.g. a period's "from" and "to").
 */
export type FieldError = { id: string; text?: string } | null | undefined | false;

type FieldProps = {
  id: string;
  label: string;
  error?: FieldError;
  /** Classes of the field's box (default: may shrink on a phone). */
  className?: string;
};

const CONTROL = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';

function invalid(error: FieldError) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': error.id } : {};
}

function Field({ id, label, error, className, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={className ?? 'min-w-0 max-w-full'}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {error && error.text ? (
        <p id={error.id} className="mt-1 text-sm text-red-800">
          {error.text}
        </p>
      ) : null}
    </div>
  );
}

export function FilterInput({ id, label, error, className, ...input }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'>) {
  return (
    <Field id={id} label={label} error={error} className={className}>
      <input id={id} className={CONTROL} {...invalid(error)} {...input} />
    </Field>
  );
}

export type Option = { value: string; label: string };

export function FilterSelect({
  id,
  label,
  error,
  className,
  options,
  anyLabel,
  ...select
}: FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'className' | 'children'> & {
  options: readonly Option[];
  /** The first option, value "": no filter. */
  anyLabel?: string;
}) {
  return (
    <Field id={id} label={label} error={error} className={className}>
      <select id={id} className={CONTROL} {...invalid(error)} {...select}>
        {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * "Newest" / "older" links of a journal paged by a `before` cursor in the address: `keep` holds the filters (kept
 * on both links), `before` the cursor of the page shown (none: the newest page), `next` the next older page's.
 */
export function CursorPager({
  label,
  path,
  keep,
  before,
  next,
  newestLabel,
  olderLabel,
}: {
  label: string;
  path: string;
  keep: URLSearchParams;
  before?: number;
  next: number | null;
  newestLabel: string;
  olderLabel: string;
}) {
  return (
    <nav aria-label={label} className="flex gap-4">
      {before !== undefined ? (
        <Link href={keep.size ? `?${keep}` : path} className="text-sky-800 underline">
          {newestLabel}
        </Link>
      ) : null}
      {next ? (
        <Link href={`?${new URLSearchParams([...keep, ['before', String(next)]])}`} className="text-sky-800 underline">
          {olderLabel}
        </Link>
      ) : null}
    </nav>
  );
}
