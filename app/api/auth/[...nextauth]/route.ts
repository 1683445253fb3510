import { handlers } from '@/lib/auth/auth';

// Auth.js endpoints: /api/auth/session, /api/auth/csrf, /api/auth/callback/eds, /api/auth/signout, …
export const { GET, POST } = handlers;
