import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { getPrincipal } from '@/lib/auth/principal';
import { SignOutButton } from './sign-out-button';

/**
 * For the header: the signed-in user's name (and organisation's BIN) with a sign-out button, or a "Sign in"
 * link. Server component; it makes the page dynamic (reads the session).
 */
export async function UserMenu() {
  const [t, principal] = await Promise.all([getTranslations('signin'), getPrincipal()]);
  if (!principal) {
    return (
      <Link href="/signin" className="font-medium underline">
        {t('signInLink')}
      </Link>
    );
  }
  return (
    <div className="flex items-center gap-3" data-testid="user-menu">
      <span>
        <span className="sr-only">{t('signedIn.title')}: </span>
        <span data-testid="user-name">{principal.fullName}</span>
        {principal.bin ? <span className="ml-1 text-sm">({t('userMenu.bin', { bin: principal.bin })})</span> : null}
      </span>
      <SignOutButton />
    </div>
  );
}
