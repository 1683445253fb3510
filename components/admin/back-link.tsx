import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

export async function BackToAdmin() {
  const t = await getTranslations('admin');
  return (
    <Link href="/admin" className="text-sm text-sky-800 underline">
      ← {t('back')}
    </Link>
  );
}
