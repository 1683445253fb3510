'use server';

import { signOut } from './auth';

/** Ends the session (the Auth.js signOut event writes the audit row) and returns to the home page. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/' });
}
