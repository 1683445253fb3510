import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from db/schema; migrations are applied by db/migrate.ts
// (at start and in tests), never by drizzle-kit push.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  casing: 'snake_case',
});
