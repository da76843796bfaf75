import type { Me } from '../../../shared/auth-api';
import { isAdmin } from '../auth/session';
import { formatDay } from './format';

const STATUS: Record<Me['business']['status'], string> = {
  trial: 'Free trial',
  active: 'Active',
  suspended: 'Suspended',
  terminated: 'Closed',
};

/** The business the user belongs to and the number they call from. */
export function BusinessSection({ me }: { me: Me }) {
  const { business } = me;
  const number = me.overrideNumber ?? me.number;
  return (
    <section class="settings-section" aria-labelledby="settings-business">
      <h2 id="settings-business">Business</h2>
      <dl class="details">
        <dt>Business</dt>
        <dd>{business.name}</dd>
        <dt>Your number</dt>
        <dd>{number ? number.e164 : 'Not allocated yet'}</dd>
        <dt>Account</dt>
        <dd>
          {STATUS[business.status]}
          {business.status === 'trial' && business.trialEndsAt !== null && `, until ${formatDay(business.trialEndsAt)}`}
        </dd>
        <dt>Your role</dt>
        <dd>{isAdmin(me) ? 'Admin' : 'User'}</dd>
      </dl>
      {me.overrideNumber && <p class="muted">Your admin set this number for your calls.</p>}
      {me.notice && (
        <p class="notice" role="status">
          {me.notice}
        </p>
      )}
      {isAdmin(me) && (
        <p>
          <a href="/admin">Business settings</a>: users, numbers and limits.
        </p>
      )}
    </section>
  );
}
