// @ts-check
const createNextIntlPlugin = require('next-intl/plugin');

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native/wasm or Node built-ins).
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'postgres', 'nodemailer', 'mqtt', '@tus/server', '@tus/file-store'],
  typedRoutes: false,
};

module.exports = withNextIntl(nextConfig);
