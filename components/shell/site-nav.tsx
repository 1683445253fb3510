'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import clsx from 'clsx';

export type NavItem = { href: string; label: string };

/**
 * The main navigation. On a phone it folds behind a "Menu" button (aria-expanded); from md up it is always
 * shown. The current section is marked with aria-current.
 */
export function SiteNav({ items, label, menuLabel }: { items: NavItem[]; label: string; menuLabel: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const isCurrent = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  return (
    <nav aria-label={label} className="md:flex md:items-center">
      <button
        type="button"
        className="rounded border border-slate-400 px-3 py-2 text-sm font-medium md:hidden"
        aria-expanded={open}
        aria-controls="main-nav-list"
        onClick={() => setOpen((o) => !o)}
      >
        {menuLabel}
      </button>
      <ul
        id="main-nav-list"
        className={clsx(
          'absolute inset-x-0 top-full z-20 flex-col border-b border-slate-200 bg-white px-4 py-2 shadow md:static md:flex md:flex-row md:gap-1 md:border-0 md:p-0 md:shadow-none',
          open ? 'flex' : 'hidden',
        )}
      >
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={isCurrent(item.href) ? 'page' : undefined}
              onClick={() => setOpen(false)}
              className="block rounded px-3 py-2 text-slate-800 hover:bg-slate-100 aria-[current=page]:font-semibold aria-[current=page]:text-sky-800 aria-[current=page]:underline"
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
