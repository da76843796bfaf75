/**
 * The accounts and sign-in API: request schemas (validated by the Worker,
 * used by the PWA's forms) and response shapes. One source for both sides.
 */
import { z } from 'zod';

import { PASSWORD_MAX, PASSWORD_MIN } from './auth-limits';

export { PASSWORD_MAX, PASSWORD_MIN };

/** Passwords: no composition rules, only length (and the Worker's common-password check). */
export const password = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('Enter an email address like name@company.com.'))
  .transform((e) => e.toLowerCase());

/** A mobile number as typed (national or international); the Worker normalises it to E.164. */
export const mobileInput = z.string().trim().min(3, 'Enter a mobile number.').max(32, 'That number is too long.');

export const personName = z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.');
export const businessName = z.string().trim().min(1, 'Enter the business name.').max(120, 'Use at most 120 characters.');
/** ISO 3166-1 alpha-2, e.g. GB, US: decides how national numbers are read. */
export const country = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'Use a two-letter country code such as GB or US.')
  .transform((c) => c.toUpperCase());
export const sixDigitCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code.');

export const signUpRequest = z.object({
  name: personName,
  businessName,
  email,
  password,
  country: country.optional(),
});
export type SignUpRequest = z.input<typeof signUpRequest>;

export const signInRequest = z.object({ email, password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX) });
export type SignInRequest = z.input<typeof signInRequest>;

export const phoneStartRequest = z.object({ mobile: mobileInput, country: country.optional() });
export type PhoneStartRequest = z.input<typeof phoneStartRequest>;

export const phoneVerifyRequest = z.object({ challengeId: z.string().min(1).max(64), code: sixDigitCode });
export type PhoneVerifyRequest = z.input<typeof phoneVerifyRequest>;

/** A new business by phone: after the code, the ticket from verify plus names. */
export const phoneSignUpRequest = z.object({
  ticket: z.string().min(1).max(512),
  name: personName,
  businessName,
  country: country.optional(),
});
export type PhoneSignUpRequest = z.input<typeof phoneSignUpRequest>;

export const passwordChangeRequest = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: password });
export type PasswordChangeRequest = z.input<typeof passwordChangeRequest>;

export const passwordResetRequest = z.object({ email });
export const passwordResetComplete = z.object({ token: z.string().min(1).max(256), newPassword: password });
export type PasswordResetComplete = z.input<typeof passwordResetComplete>;

export const profileUpdateRequest = z.object({ name: personName });
export type ProfileUpdateRequest = z.input<typeof profileUpdateRequest>;

export const role = z.enum(['user', 'admin']);
export type Role = z.infer<typeof role>;

export const invitationRequest = z
  .object({ email: email.optional(), mobile: mobileInput.optional(), name: personName.optional(), role: role.default('user') })
  .refine((v) => v.email !== undefined || v.mobile !== undefined, {
    message: 'Give an email address or a mobile number.',
    path: ['email'],
  });
export type InvitationRequest = z.input<typeof invitationRequest>;

export const invitationAcceptRequest = z.object({ token: z.string().min(1).max(256), name: personName, password });
export type InvitationAcceptRequest = z.input<typeof invitationAcceptRequest>;

// ── Responses ───────────────────────────────────────────────────────────────

export interface BusinessNumber {
  e164: string;
  kind: 'pool' | 'main';
}

/** `GET /api/me`: who is signed in, their business and the number they call from. */
export interface Me {
  /** `hasPassword` is false for an account made by phone: it may set one without an old one. */
  user: { id: string; name: string; email: string | null; mobile: string | null; role: Role; hasPassword: boolean };
  business: {
    id: string;
    name: string;
    country: string;
    plan: 'licensed' | 'payg';
    status: 'trial' | 'active' | 'suspended' | 'terminated';
    trialEndsAt: number | null;
  };
  /** The allocated number; null when the pool had none free (see `notice`). */
  number: BusinessNumber | null;
  /** The number calls go out and come in on when the admin set an override. */
  overrideNumber: BusinessNumber | null;
  /** Something the user should know now (an empty number pool). */
  notice: string | null;
}

/** `POST /api/auth/phone/start`: the code was sent if the number can receive one. */
export interface PhoneChallenge {
  challengeId: string;
  expiresAt: number;
  /** Earliest time a new code may be requested. */
  resendAfter: number;
}

/** `POST /api/auth/phone/verify`: signed in, or a new number that may start a business. */
export type PhoneVerifyResult = { status: 'signed_in'; me: Me } | { status: 'needs_business'; ticket: string; mobile: string };

export interface SessionInfo {
  id: string;
  deviceLabel: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

export interface InvitationInfo {
  id: string;
  email: string | null;
  mobile: string | null;
  name: string | null;
  role: Role;
  createdAt: number;
  expiresAt: number;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
}

/** `GET /api/invitations/:token`: what a person opening an invitation link sees. */
export interface InvitationPreview {
  businessName: string;
  email: string | null;
  name: string | null;
  expiresAt: number;
}
