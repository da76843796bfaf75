import { useState } from 'preact/hooks';
import type { InvitationInfo, InvitationRequest, Role } from '../../../shared/auth-api';
import { api } from '../api/client';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useForm } from '../forms/use-form';
import { Choice } from './Choice';

type Via = 'email' | 'mobile';

const VIA_OPTIONS = [
  { value: 'email', label: 'Email' },
  { value: 'mobile', label: 'Mobile' },
] as const;

const ROLE_OPTIONS = [
  { value: 'user', label: 'User' },
  { value: 'admin', label: 'Admin' },
] as const;

/** Invites someone by work email or by mobile number; the server sends the link. */
export function InviteSection({ onInvited }: { onInvited: (invitation: InvitationInfo) => void }) {
  const [via, setVia] = useState<Via>('email');
  const [email, setEmail] = useState('');
  const [mobile, setMobile] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm();
  // An error about the address not on show (there should be none) goes in the alert.
  const fields = [via, 'name', 'role'];

  const submit = (e: Event) => {
    e.preventDefault();
    setSentTo(null);
    void form.run(async () => {
      const body: InvitationRequest = via === 'email' ? { email, role } : { mobile, role };
      if (name.trim()) body.name = name;
      const invitation = await api.post<InvitationInfo>('/api/admin/invitations', body);
      setEmail('');
      setMobile('');
      setName('');
      setRole('user');
      setSentTo(invitation.email ?? invitation.mobile ?? (via === 'email' ? email : mobile));
      onInvited(invitation);
    });
  };

  return (
    <section class="settings-section" aria-labelledby="admin-invite">
      <h2 id="admin-invite">Invite people</h2>
      <form class="form" ref={form.formRef} onSubmit={submit}>
        <FormProblem problem={form.problem} fields={fields} waitSeconds={form.waitSeconds} />
        {sentTo && (
          <p class="form-note" role="status">
            Invitation sent to {sentTo}.
          </p>
        )}
        <Choice name="via" legend="Invite by" options={VIA_OPTIONS} value={via} onValue={setVia} />
        {via === 'email' ? (
          <Field
            key="email"
            name="email"
            label="Work email"
            type="email"
            inputMode="email"
            autoComplete="off"
            autoCapitalize="none"
            spellcheck={false}
            required
            value={email}
            onValue={setEmail}
            error={form.error('email')}
            hint="They will get an email with a link to join."
          />
        ) : (
          <Field
            key="mobile"
            name="mobile"
            label="Mobile number"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            required
            value={mobile}
            onValue={setMobile}
            error={form.error('mobile')}
            hint="They will get a text message and sign in with this number. For another country, start with + and its country code."
          />
        )}
        <Field
          name="name"
          label="Name (optional)"
          autoComplete="off"
          value={name}
          onValue={setName}
          error={form.error('name')}
          hint="Filled in for them when they join."
        />
        <Choice
          name="role"
          legend="Role"
          options={ROLE_OPTIONS}
          value={role}
          onValue={setRole}
          error={form.error('role')}
          hint="Admins can also invite people and manage the business."
        />
        <button type="submit" disabled={form.blocked}>
          {form.busy ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
    </section>
  );
}
