import { getTranslations } from 'next-intl/server';
import type { ExchangeMessage } from '@/lib/partner/environment';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';

/** E-49: the messages of an exchange, oldest first, with their files. */
export async function ExchangeList({ messages, locale }: { messages: ExchangeMessage[]; locale: TimeLocale }) {
  const t = await getTranslations('partner.env');
  if (!messages.length) return <p>{t('noMessages')}</p>;
  return (
    <ol className="space-y-2" data-testid="env-messages">
      {messages.map((m) => (
        <li key={m.id} className={`rounded border p-2 ${m.direction === 'to_expert' ? 'border-emerald-700 bg-emerald-50' : 'border-slate-300'}`}>
          <p className="text-sm text-slate-700">
            {formatAstana(m.createdAt, locale)} · {t(`direction.${m.direction}`, { authority: m.authorityName })}
          </p>
          <p className="font-medium">{m.subject}</p>
          {m.body && <p className="whitespace-pre-wrap">{m.body}</p>}
          {m.storageKey && m.fileName && (
            <a className="text-sky-900 underline break-all" href={`/expertise/environment/files/${m.id}`}>
              {m.fileName}
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}
