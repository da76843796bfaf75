import type { CallKind } from '../../shared/calls-api';

/**
 * What a routing decision learnt about the call, filled in by `decideRoute`
 * as it goes, so the call's record can be written with the decision. Left
 * empty when the call belongs to no business we know (an unknown caller, a
 * number nobody owns): such a call gets no record.
 */
export interface RouteNotes {
  businessId?: string;
  direction?: CallKind;
  /** The user placing an internal or outbound call. */
  callerUserId?: string;
  /** The other party's number on the phone network (E.164), when known. */
  remoteNumber?: string | null;
  /** The business number or override used on our side. */
  ourNumber?: string | null;
  /** The users the call is for, before do-not-disturb removes any. */
  targets?: string[];
}
