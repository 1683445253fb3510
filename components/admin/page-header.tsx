import type { ReactNode } from 'react';

/**
 * A page's title (its one h1), an optional subtitle (what the page is about, e.g. the organisation) and its
 * introduction, as the admin and cabinet pages open; `children` follow (e.g. a read-only notice).
 */
export function PageHeader({ title, subtitle, intro, children }: { title: ReactNode; subtitle?: ReactNode; intro?: ReactNode; children?: ReactNode }) {
  return (
    <header className="space-y-2">
      <h1 className="text-2xl font-bold md:text-3xl">{title}</h1>
      {subtitle ? <p className="text-lg">{subtitle}</p> : null}
      {intro ? <p className="max-w-3xl text-slate-700">{intro}</p> : null}
      {children}
    </header>
  );
}

/**
 * A part of a page named by its h2 (`id` ties the heading to the section, so the section is a named region),
 * with an optional hint under the heading; `boxed` draws it as a bordered panel.
 */
export function PageSection({
  id,
  title,
  intro,
  boxed = false,
  testId,
  children,
}: {
  id: string;
  title: ReactNode;
  intro?: ReactNode;
  boxed?: boolean;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={boxed ? 'space-y-3 rounded-lg border border-slate-300 p-4' : 'space-y-3'} data-testid={testId}>
      <h2 id={id} className="text-xl font-semibold">
        {title}
      </h2>
      {intro ? <p className="max-w-3xl text-sm text-slate-700">{intro}</p> : null}
      {children}
    </section>
  );
}

/** What a list or table shows when it has nothing (the text is the page's own message). */
export function EmptyState({ children, testId }: { children: ReactNode; testId?: string }) {
  return <p data-testid={testId}>{children}</p>;
}
