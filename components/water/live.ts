'use client';

import { useQuery } from '@tanstack/react-query';

/** Live data (W-27): the server's first render, then the API every 30 s. */
export function useLive<T>(url: string, initial: T): { data: T; dataUpdatedAt: number; isError: boolean } {
  const q = useQuery<T>({
    queryKey: [url],
    queryFn: async () => {
      const res = await fetch(url, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`${res.status}`);
      return (await res.json()) as T;
    },
    initialData: initial,
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
  return { data: q.data ?? initial, dataUpdatedAt: q.dataUpdatedAt, isError: q.isError };
}
