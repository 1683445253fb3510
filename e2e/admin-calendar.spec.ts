import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
// Provided by the sign-in work (H5b): signs the page's context in with the demo EDS key of a role.
import { signInAs } from './helpers/auth';
import { msg } from './messages';

test('X-2 X-4 X-9 an operator adds, edits and removes a calendar day with a reason, signing each change, and the journal records it', async ({ page }, info) => {
  test.setTimeout(180_000);
  // A year without seeded exceptions, distinct per project and retry (they share one server), so the test
  // owns every row it sees.
  const YEAR = 2039 + (info.project.name === 'phone' ? 1 : 0) * 10 + info.retry;
  const DATE = `${YEAR}-03-14`;
  const SHOWN = `14.03.${YEAR}`;
  await signInAs(page, 'operator');
  await page.goto(`/admin/calendar?year=${YEAR}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'calendar.title'));
  await expect(page.getByText(msg('kk', 'calendar.empty'))).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const add = page.getByTestId('calendar-form-add');
  // Field errors beside the fields (client-side zod, the same schema the server uses).
  await add.getByRole('button', { name: msg('kk', 'calendar.add') }).click();
  await expect(add.getByText(msg('kk', 'errors.zod.required')).first()).toBeVisible();
  await expect(add.getByLabel(msg('kk', 'calendar.fields.name'))).toHaveAttribute('aria-invalid', 'true');

  await add.getByLabel(msg('kk', 'calendar.fields.date')).fill(DATE);
  await add.getByLabel(msg('kk', 'calendar.fields.kind')).selectOption('holiday');
  await add.getByLabel(msg('kk', 'calendar.fields.name')).fill('Сынақ мерекесі');
  await add.getByLabel(msg('kk', 'calendar.fields.reason'), { exact: true }).fill('ҚР Үкіметінің сынақ қаулысы');
  await add.getByRole('button', { name: msg('kk', 'calendar.add') }).click();
  // the first signature in this tab asks for the demo SIGN key (its password is filled in from the list).
  await add.getByLabel(msg('kk', 'sign.demo.chooseKey'), { exact: true }).selectOption('operator');
  await expect(add.getByLabel(msg('kk', 'sign.demo.passwordLabel'), { exact: true })).not.toHaveValue('');
  await add.getByRole('button', { name: msg('kk', 'sign.demo.useKey') }).click();
  await expect(add.getByTestId('sign-done')).toContainText(msg('kk', 'calendar.movedNone'), { timeout: 30_000 });

  const row = page.locator(`[data-date="${DATE}"]`);
  await expect(row).toContainText(SHOWN);
  await expect(row).toContainText('Сынақ мерекесі');
  await expect(row).toContainText(msg('kk', 'calendar.kinds.holiday'));
  // The month view marks the Monday as a day off.
  await expect(page.locator('table').nth(2).locator('td[data-working="false"]', { hasText: /^14/ })).toHaveCount(1);

  // A duplicate is refused with a message, not a crash.
  await add.getByLabel(msg('kk', 'calendar.fields.date')).fill(DATE);
  await add.getByLabel(msg('kk', 'calendar.fields.name')).fill('Қайталау');
  await add.getByLabel(msg('kk', 'calendar.fields.reason'), { exact: true }).fill('қайталау');
  // The key is remembered for the tab: later changes sign without asking again.
  await add.getByRole('button', { name: msg('kk', 'calendar.add') }).click();
  await expect(add.getByTestId('sign-error')).toHaveText(msg('kk', 'errors.calendar_day_exists'), { timeout: 30_000 });

  // Edit.
  await row.locator('summary').click();
  const edit = row.getByTestId('calendar-form-edit');
  await edit.getByLabel(msg('kk', 'calendar.fields.name')).fill('Сынақ мерекесі (өзгертілді)');
  await edit.getByLabel(msg('kk', 'calendar.fields.reason'), { exact: true }).fill('Өзгерту туралы қаулы');
  await edit.getByRole('button', { name: msg('kk', 'calendar.save') }).click();
  await expect(edit.getByTestId('sign-done')).toContainText(msg('kk', 'calendar.movedNone'), { timeout: 30_000 });
  await expect(row).toContainText('Сынақ мерекесі (өзгертілді)');

  // Remove (the reason is required).
  const remove = row.getByTestId('calendar-form-remove');
  await remove.getByRole('button', { name: msg('kk', 'calendar.remove') }).click();
  await expect(remove.getByText(msg('kk', 'errors.zod.required'))).toBeVisible();
  await remove.getByLabel(msg('kk', 'calendar.fields.reason')).fill('Қате енгізілген');
  await remove.getByRole('button', { name: msg('kk', 'calendar.remove') }).click();
  await expect(page.locator(`[data-date="${DATE}"]`)).toHaveCount(0, { timeout: 30_000 });

  // the journal lists the three changes with their bases, and the chain verifies.
  await page.goto(`/admin/audit?entityType=calendar_day&entityId=${DATE}`);
  const table = page.getByTestId('audit-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table).toContainText('Қате енгізілген');
  await expect(table).toContainText('ҚР Үкіметінің сынақ қаулысы');
  await expect(table).toContainText('(Астана уақыты, UTC+5)');
  // each change also has its signed-action row (the signature it was confirmed with).
  await page.goto('/admin/audit?entityType=action');
  for (const name of ['calendar.add', 'calendar.update', 'calendar.remove']) {
    await expect(page.getByTestId('audit-table').locator('tbody tr', { hasText: name }).first()).toBeVisible();
  }
  await page.getByRole('button', { name: msg('kk', 'audit.verify') }).click();
  await expect(page.getByTestId('verify-result')).toContainText(/Тізбек бүтін: \d+ жазба тексерілді\./);
  await expectNoSeriousA11yViolations(page);
});

test('X-11 a signed-in user without operator rights sees "no access" on the admin pages, never a 500', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, 'individual');
  for (const path of ['/admin', '/admin/calendar', '/admin/audit']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await expect(page.getByTestId('access-denied')).toHaveAttribute('data-reason', 'forbidden');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'admin.guard.forbiddenTitle'));
    await expect(page.getByTestId('calendar-form-add')).toHaveCount(0);
  }
});
