import { createTranslator } from 'next-intl';
import { redirect } from 'next/navigation';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import kk from '@/lib/i18n/messages/kk.json';
import ru from '@/lib/i18n/messages/ru.json';
import { formDataToObject, runActionWith, type ErrorTranslator } from './index';

const tr = (locale: 'ru' | 'kk', messages: object) =>
  createTranslator({ locale, messages: messages as Record<string, unknown>, namespace: 'errors' }) as unknown as ErrorTranslator;

const schema = z.object({ name: z.string().trim().min(1, 'name is required'), kind: z.enum(['a', 'b']) });

afterEach(() => vi.restoreAllMocks());

describe('runAction', () => {
  it('parses FormData and passes the typed data to the action', async () => {
    const fd = new FormData();
    fd.set('name', '  Наурыз ');
    fd.set('kind', 'b');
    const r = await runActionWith(tr('ru', ru), schema, fd, async (d) => `${d.name}/${d.kind}`);
    expect(r).toEqual({ ok: true, data: 'Наурыз/b' });
  });

  it('returns field errors in the user language beside each field, without running the action', async () => {
    const fn = vi.fn();
    const r = await runActionWith(tr('ru', ru), schema, { name: '', kind: 'x' }, fn);
    expect(fn).not.toHaveBeenCalled();
    expect(r).toEqual({
      ok: false,
      error: { code: 'validation_failed', message: ru.errors.validation_failed, fields: { name: ru.errors.zod.required, kind: ru.errors.zod.invalid_value } },
    });
    const k = await runActionWith(tr('kk', kk), schema, { name: '', kind: 'a' }, fn);
    expect(!k.ok && k.error.fields).toEqual({ name: kk.errors.zod.required });
  });

  it('turns an AppError into { ok: false } with the translated message of its code', async () => {
    const r = await runActionWith(tr('kk', kk), schema, { name: 'x', kind: 'a' }, async () => {
      throw new AppError('calendar_day_exists', 'exists');
    });
    expect(r).toEqual({ ok: false, error: { code: 'calendar_day_exists', message: kk.errors.calendar_day_exists } });
  });

  it('logs an unknown error and answers code internal, never throwing to the client', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await runActionWith(tr('ru', ru), schema, { name: 'x', kind: 'a' }, async () => {
      throw new Error('db down: secret detail');
    });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: ru.errors.internal } });
    expect(log).toHaveBeenCalled();
  });

  it('lets redirect() propagate (Next.js control flow is not an error)', async () => {
    await expect(
      runActionWith(tr('ru', ru), schema, { name: 'x', kind: 'a' }, async () => redirect('/admin')),
    ).rejects.toMatchObject({ digest: expect.stringContaining('NEXT_REDIRECT') });
  });

  it('collects repeated FormData names into arrays', () => {
    const fd = new FormData();
    fd.append('tag', 'a');
    fd.append('tag', 'b');
    fd.append('$ACTION_ID_1', '');
    expect(formDataToObject(fd)).toEqual({ tag: ['a', 'b'] });
  });
});

describe('runAction field errors from the domain', () => {
  it('shows the translated error beside a field whose domain message is not a key', async () => {
    const r = await runActionWith(tr('ru', ru), schema, { name: 'x', kind: 'a' }, async () => {
      throw new AppError('calendar_day_exists', 'exists', { date: 'already in the calendar' });
    });
    expect(r).toEqual({ ok: false, error: { code: 'calendar_day_exists', message: ru.errors.calendar_day_exists, fields: { date: ru.errors.calendar_day_exists } } });
  });
});
