import { defineMachine } from './state-machine';

/**
 * The phone line's registration with the media edge, as the person sees it:
 * getting credentials, connecting, registering, ready; offline while the
 * network is gone (retrying by itself); error when it needs the person
 * (signed out, calling not in their licence) or keeps failing.
 */
export type RegistrationState = 'idle' | 'fetching_credentials' | 'connecting' | 'registering' | 'ready' | 'offline' | 'error';

export type RegistrationEvent =
  | 'start'
  | 'credentials_ok'
  | 'credentials_failed'
  | 'transport_connected'
  | 'transport_lost'
  | 'registered'
  | 'register_failed'
  | 'credentials_expiring'
  | 'network_offline'
  | 'retry'
  | 'stop';

export const registrationMachine = defineMachine<RegistrationState, RegistrationEvent>('registration', 'idle', {
  idle: { start: 'fetching_credentials' },
  fetching_credentials: { credentials_ok: 'connecting', credentials_failed: 'error', network_offline: 'offline', stop: 'idle' },
  connecting: { transport_connected: 'registering', transport_lost: 'offline', network_offline: 'offline', stop: 'idle' },
  registering: {
    registered: 'ready',
    register_failed: 'error',
    // Credentials expired between fetch and REGISTER: fetch new ones.
    credentials_expiring: 'fetching_credentials',
    transport_lost: 'offline',
    network_offline: 'offline',
    stop: 'idle',
  },
  ready: {
    // Credentials are renewed in the background and re-registered on the same
    // transport: the line stays ready (a failure there is register_failed).
    registered: 'ready',
    register_failed: 'error',
    transport_lost: 'offline',
    network_offline: 'offline',
    stop: 'idle',
  },
  offline: { retry: 'fetching_credentials', network_offline: 'offline', transport_lost: 'offline', stop: 'idle' },
  error: { retry: 'fetching_credentials', stop: 'idle' },
});

/** Words for the registration state, for the status line and screen readers. */
export const REGISTRATION_LABELS: Record<RegistrationState, string> = {
  idle: 'Not connected',
  fetching_credentials: 'Connecting…',
  connecting: 'Connecting…',
  registering: 'Connecting…',
  ready: 'Ready',
  offline: 'Offline — reconnecting',
  error: 'Cannot connect',
};
