import { getTranslations } from 'next-intl/server';
import { signOutAction } from '@/lib/auth/actions';

/** A sign-out button (a form posting to a server action, so it works without JavaScript). */
export async function SignOutButton({ className }: { className?: string }) {
  const t = await getTranslations('signin');
  return (
    <form action={signOutAction}>
      <button
        type="submit"
        className={className ?? 'rounded border border-slate-600 bg-white px-3 py-1 font-medium text-slate-900 hover:bg-slate-100'}
      >
        {t('signOut')}
      </button>
    </form>
  );
}
