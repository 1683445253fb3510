'use client';

import { useEffect, useState } from 'react';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';

/**
 * the current Astana date and time, ticking every second. The first render uses the server's instant
 * so that the hydrated HTML matches; afterwards it keeps the server's offset (the server clock may be set
 * in test mode) and ticks with the browser's timer.
 */
export function AstanaClock({ initialMs, locale, label }: { initialMs: number; locale: TimeLocale; label: string }) {
  const [ms, setMs] = useState(initialMs);
  useEffect(() => {
    const offset = initialMs - Date.now();
    const id = setInterval(() => setMs(Date.now() + offset), 1000);
    return () => clearInterval(id);
  }, [initialMs]);
  return (
    <p className="text-sm tabular-nums" data-testid="astana-clock">
      <span className="sr-only">{label}: </span>
      <time dateTime={new Date(ms).toISOString()}>{formatAstana(ms, locale, { seconds: true })}</time>
    </p>
  );
}
