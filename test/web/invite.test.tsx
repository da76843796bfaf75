import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { InvitationPreview } from '../../shared/auth-api';
import { App } from '../../web/src/app/App';
import { aMe, fakeApi, json, notSignedIn, problem } from './support/fake-api';
import { press, type } from './support/ui';

const preview: InvitationPreview = {
  businessName: 'Analytical Engines Ltd',
  email: 'grace@example.com',
  name: 'Grace',
  expiresAt: Date.UTC(2030, 5, 1),
};

describe('an emailed invitation', () => {
  it('shows the business and email, asks for name and password, and signs in', async () => {
    const api = fakeApi({
      'GET /api/me': notSignedIn,
      'GET /api/invitations/:token': (_req, { token }) => (token === 'inv/1' ? json(200, preview) : problem(404, 'not_found')),
      'POST /api/invitations/accept': () => json(201, aMe({ user: { name: 'Grace Hopper', email: 'grace@example.com' } })),
    });
    history.replaceState(null, '', '/invite?token=inv%2F1');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Join Analytical Engines Ltd' });
    const email = screen.getByLabelText('Email') as HTMLInputElement;
    expect(email.value).toBe('grace@example.com');
    expect(email.readOnly).toBe(true);
    expect((screen.getByLabelText('Your name') as HTMLInputElement).value).toBe('Grace');
    type('Your name', 'Grace Hopper');
    expect(type('Choose a password', 'nanoseconds!').getAttribute('autocomplete')).toBe('new-password');
    press('Join Analytical Engines Ltd');
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    expect(api.calls('POST /api/invitations/accept')[0]?.body).toEqual({ token: 'inv/1', name: 'Grace Hopper', password: 'nanoseconds!' });
  });

  it('explains an expired or unknown invitation', async () => {
    fakeApi({ 'GET /api/me': notSignedIn, 'GET /api/invitations/:token': () => problem(404, 'not_found') });
    history.replaceState(null, '', '/invite?token=gone');
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('This invitation link has expired');
  });
});
