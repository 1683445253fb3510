'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import type { grantOrgRoleAction, withdrawOrgRoleAction } from '@/app/cabinet/organisation/actions';

export type Member = { iin: string; fullName: string; active: boolean; roles: string[] };

const grantSchema = z.object({ orgId: z.uuid(), userIin: z.string().regex(/^\d{12}$/, 'employee_required'), role: z.string().min(1, 'role_required') });
type GrantValues = z.input<typeof grantSchema>;

type Props = {
  orgId: string;
  members: Member[];
  grantable: readonly string[];
  demoKeys: DemoSignKey[] | null;
  actions: { grant: typeof grantOrgRoleAction; withdraw: typeof withdrawOrgRoleAction };
};

/** the first head grants a role to an employee; each grant is signed with the first head's EDS. */
export function GrantRoleForm({ orgId, members, grantable, demoKeys, actions }: Props) {
  const t = useTranslations('registration');
  const router = useRouter();
  const uid = useId();
  const form = useForm<GrantValues>({ resolver: zodResolver(grantSchema), defaultValues: { orgId, userIin: '', role: '' } });
  const errorOf = (name: 'userIin' | 'role') => {
    const e = form.formState.errors[name];
    if (!e) return null;
    const text = e.type === 'server' ? e.message : t.has(`form.errors.${e.message}`) ? t(`form.errors.${e.message}`) : t('form.errors.invalid');
    return (
      <p id={`${uid}-${name}-error`} className="mt-1 text-sm text-red-800" data-testid={`error-${name}`}>
        {text}
      </p>
    );
  };
  const selectCls = 'mt-1 block w-full max-w-md rounded border border-slate-500 bg-white px-2 py-1';
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-3">
      <div>
        <label htmlFor={`${uid}-emp`} className="block font-medium">
          {t('org.employee')}
        </label>
        <select id={`${uid}-emp`} className={selectCls} aria-invalid={form.formState.errors.userIin ? true : undefined} aria-describedby={form.formState.errors.userIin ? `${uid}-userIin-error` : undefined} {...form.register('userIin')}>
          <option value="">—</option>
          {members
            .filter((m) => m.active)
            .map((m) => (
              <option key={m.iin} value={m.iin}>
                {m.fullName} ({m.iin})
              </option>
            ))}
        </select>
        {errorOf('userIin')}
      </div>
      <div>
        <label htmlFor={`${uid}-role`} className="block font-medium">
          {t('org.role')}
        </label>
        <select id={`${uid}-role`} className={selectCls} aria-invalid={form.formState.errors.role ? true : undefined} aria-describedby={form.formState.errors.role ? `${uid}-role-error` : undefined} {...form.register('role')}>
          <option value="">—</option>
          {grantable.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        {errorOf('role')}
      </div>
      <SignButton
        action={actions.grant}
        actionName="org.role.grant"
        input={validatedValues(form)}
        label={t('org.grant')}
        successMessage={t('org.granted')}
        demoKeys={demoKeys}
        onResult={(r) => {
          if (r.ok) {
            form.reset({ orgId, userIin: '', role: '' });
            return router.refresh();
          }
          for (const [k, m] of Object.entries(r.error.fields ?? {})) if (k === 'userIin' || k === 'role') form.setError(k, { type: 'server', message: m });
        }}
      />
    </form>
  );
}

/** withdraws one role of one employee (signed). */
export function WithdrawRoleButton({ orgId, iin, role, label, demoKeys, action }: { orgId: string; iin: string; role: string; label: string; demoKeys: DemoSignKey[] | null; action: typeof withdrawOrgRoleAction }) {
  const router = useRouter();
  return (
    <SignButton
      action={action}
      actionName="org.role.withdraw"
      input={{ orgId, userIin: iin, role }}
      label={label}
      demoKeys={demoKeys}
      onResult={(r) => {
        if (r.ok) router.refresh();
      }}
    />
  );
}
