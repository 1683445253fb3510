import { getTranslations } from 'next-intl/server';

export default async function Home() {
  const t = await getTranslations('app');
  return <main><h1>{t('name')}</h1></main>;
}
