import { DurableObject } from 'cloudflare:workers';

/** Placeholder replaced by the abuse-limits implementation. */
export class AbuseGuard extends DurableObject<Env> {}
