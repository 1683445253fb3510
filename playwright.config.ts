import { defineConfig, devices } from '@playwright/test';

/**
 * E2E against the production build served by the `npm start` launcher (lib/cli/start.ts), on an empty
 * embedded database. The web server's command removes .data-e2e first: Playwright starts the web server
 * before any globalSetup, so a globalSetup would delete the directory under a running server.
 * Debian's Chromium: browsers cannot be downloaded here.
 */
const PORT = Number(process.env.E2E_PORT) || 3100;
const DATA_DIR = process.env.E2E_DATA_DIR || '.data-e2e';
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  // Parallel runs of one tree keep their own results (traces, screenshots).
  outputDir: process.env.E2E_OUTPUT_DIR || 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: 'kk-KZ',
    timezoneId: 'America/New_York', // the browser's zone must not matter: the portal shows Astana time
    trace: 'retain-on-failure',
    launchOptions,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions } },
    {
      name: 'phone',
      use: { ...devices['Desktop Chrome'], viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, launchOptions },
    },
  ],
  webServer: {
    command: `rm -rf ${DATA_DIR} && npx tsx lib/cli/start.ts`,
    url: `http://localhost:${PORT}`,
    timeout: 20 * 60_000, // a cold production build on a busy 2-core machine can take over 10 minutes
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { PORT: String(PORT), DATA_DIR, APP_URL: `http://localhost:${PORT}`, NEXT_TELEMETRY_DISABLED: '1' },
  },
});
