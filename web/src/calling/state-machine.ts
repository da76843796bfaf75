/**
 * A small explicit state machine: every allowed transition is listed, and
 * anything else throws. Calls and registration both use it, so the UI can
 * never show a state the SIP layer did not reach (SIP.js's own session
 * states work the same way).
 */

/** Thrown for a transition the machine does not allow: a bug, never swallowed. */
export class InvalidTransition extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly event: string,
  ) {
    super(`${machine}: no transition from "${from}" on "${event}"`);
  }
}

export type TransitionTable<S extends string, E extends string> = { readonly [K in S]: Partial<Record<E, S>> };

export interface Machine<S extends string, E extends string> {
  readonly name: string;
  readonly initial: S;
  /** The state after `event` in `state`; throws `InvalidTransition` when not allowed. */
  next(state: S, event: E): S;
  /** Whether `event` is allowed in `state`. */
  can(state: S, event: E): boolean;
  /** The events allowed in `state` (for tests and debugging). */
  events(state: S): E[];
}

/** Builds a machine from its transition table. */
export function defineMachine<S extends string, E extends string>(name: string, initial: S, table: TransitionTable<S, E>): Machine<S, E> {
  return {
    name,
    initial,
    next(state, event) {
      const to = table[state][event];
      if (to === undefined) throw new InvalidTransition(name, state, event);
      return to;
    },
    can: (state, event) => table[state][event] !== undefined,
    events: (state) => Object.keys(table[state]) as E[],
  };
}
