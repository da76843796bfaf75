import { Screen } from './Screen';

/** Any path the app does not know. */
export function NotFound() {
  return (
    <Screen title="Page not found">
      <p>
        There is nothing here. <a href="/">Go to the dialer</a>.
      </p>
    </Screen>
  );
}
