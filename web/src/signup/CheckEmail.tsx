import { Screen } from '../app/Screen';

/** After sign-up: the account starts when the emailed link is opened. Says nothing about whether the address was already known. */
export function CheckEmail({ email, onChangeEmail }: { email: string; onChangeEmail: () => void }) {
  return (
    <Screen title="Check your email">
      <div class="form" role="status">
        <p>
          We sent an email to <strong>{email}</strong>. Open the link in it to finish setting up your account.
        </p>
        <p class="muted">It can take a few minutes to arrive. If it does not, look in your spam folder.</p>
      </div>
      <ul class="form-links">
        <li>
          <button type="button" class="link-button" onClick={onChangeEmail}>
            Use a different email address
          </button>
        </li>
        <li>
          <a href="/signin">Back to sign in</a>
        </li>
      </ul>
    </Screen>
  );
}
