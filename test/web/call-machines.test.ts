import { describe, expect, it } from 'vitest';
import { callMachine, isLive } from '../../web/src/calling/call-machine';
import { registrationMachine } from '../../web/src/calling/registration-machine';
import { InvalidTransition } from '../../web/src/calling/state-machine';

/** Runs a sequence of events from a start state and returns every state visited. */
function walk<S extends string, E extends string>(machine: { next(s: S, e: E): S }, from: S, events: E[]): S[] {
  const visited = [from];
  let state = from;
  for (const event of events) {
    state = machine.next(state, event);
    visited.push(state);
  }
  return visited;
}

describe('the call state machine', () => {
  it('follows an outgoing call through ringing, hold and resume to its end', () => {
    expect(walk(callMachine, 'dialing', ['progress', 'accepted', 'hold', 'held', 'resume', 'resumed', 'hangup', 'terminated'])).toEqual([
      'dialing',
      'ringing',
      'established',
      'established',
      'held',
      'held',
      'established',
      'ending',
      'ended',
    ]);
  });

  it('follows an incoming call answered here, and one answered on another device', () => {
    expect(walk(callMachine, 'incoming', ['answer', 'accepted', 'terminated'])).toEqual(['incoming', 'answering', 'established', 'ended']);
    expect(walk(callMachine, 'incoming', ['answered_elsewhere'])).toEqual(['incoming', 'ended']);
  });

  it('rejects invalid transitions loudly', () => {
    expect(() => callMachine.next('dialing', 'answer')).toThrow(InvalidTransition);
    expect(() => callMachine.next('incoming', 'hold')).toThrow(/no transition from "incoming" on "hold"/);
    expect(() => callMachine.next('ended', 'hangup')).toThrow(InvalidTransition);
    expect(() => callMachine.next('held', 'hold')).toThrow(InvalidTransition);
  });

  it('has no way out of ended, and every other state can end', () => {
    expect(callMachine.events('ended')).toEqual([]);
    for (const state of ['dialing', 'ringing', 'incoming', 'answering', 'established', 'held', 'ending'] as const) {
      expect(callMachine.can(state, 'terminated') || callMachine.can(state, 'failed')).toBe(true);
      expect(isLive(state)).toBe(true);
    }
    expect(isLive('ended')).toBe(false);
  });
});

describe('the registration state machine', () => {
  it('goes from idle to ready, re-registers in place, survives a network loss and recovers', () => {
    expect(
      walk(registrationMachine, 'idle', [
        'start',
        'credentials_ok',
        'transport_connected',
        'registered',
        'registered',
        'network_offline',
        'retry',
        'credentials_ok',
        'transport_connected',
        'registered',
      ]),
    ).toEqual([
      'idle',
      'fetching_credentials',
      'connecting',
      'registering',
      'ready',
      'ready',
      'offline',
      'fetching_credentials',
      'connecting',
      'registering',
      'ready',
    ]);
  });

  it('reports an error that needs the person and retries only when asked', () => {
    expect(walk(registrationMachine, 'idle', ['start', 'credentials_failed'])).toEqual(['idle', 'fetching_credentials', 'error']);
    expect(() => registrationMachine.next('error', 'registered')).toThrow(InvalidTransition);
    expect(registrationMachine.next('error', 'retry')).toBe('fetching_credentials');
  });

  it('rejects invalid transitions loudly', () => {
    expect(() => registrationMachine.next('idle', 'registered')).toThrow(InvalidTransition);
    expect(() => registrationMachine.next('ready', 'start')).toThrow(InvalidTransition);
    expect(() => registrationMachine.next('offline', 'registered')).toThrow(/registration: no transition/);
  });
});
