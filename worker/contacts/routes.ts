import { Hono } from 'hono';
import {
  type ContactLookup,
  changesQuery,
  contactCreateRequest,
  contactId,
  contactUpdateRequest,
  favouriteRequest,
  importBatchRequest,
  listQuery,
  lookupQuery,
} from '../../shared/contacts-api';
import { normaliseNumber } from '../../shared/contacts-numbers';
import { requireSession } from '../auth/middleware';
import type { AppEnv } from '../platform/context';
import { Problem, problems } from '../platform/problem';
import { jsonBody, queryParams } from '../platform/validate';
import { exportStream } from './export';
import { importBatch, rollbackImport } from './import';
import { normaliseContact } from './normalise';
import { notifyContactsChanged } from './notify';
import { etag, ifMatchVersion, versionRequired } from './problems';
import { businessCountry, changesSince, contactByE164, getLiveContact, listContacts } from './queries';
import type { Owner } from './rows';
import { createContact, deleteContact, idForKey, setFavourite, updateContact } from './writes';

const owner = (auth: { businessId: string; userId: string }): Owner => ({ businessId: auth.businessId, userId: auth.userId });

/** An id in the path: anything not shaped like one cannot exist, so it is a 404 like any unknown id. */
function pathId(id: string): string {
  if (!contactId.safeParse(id).success) throw problems.notFound('contact');
  return id;
}

/** `Idempotency-Key`: any printable text up to 255 characters. */
function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) {
    throw new Problem(
      400,
      'bad_idempotency_key',
      'Idempotency-Key is not usable',
      'Send 1 to 255 printable ASCII characters, e.g. a UUID.',
    );
  }
  return header;
}

/**
 * The signed-in user's contacts. Every route is scoped by business AND user:
 * a colleague's or another business's contact id is simply not found.
 * Static paths come before `/:id`, which would otherwise take them.
 */
export const contactRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .use(async (c, next) => {
    await next();
    // Personal data: never kept by a shared cache.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-store');
  })
  .get('/', async (c) => {
    const query = queryParams(c, listQuery);
    return c.json(await listContacts(c.env.DB, owner(c.get('auth')), query));
  })
  .get('/changes', async (c) => {
    const { since, limit } = queryParams(c, changesQuery);
    return c.json(await changesSince(c.env.DB, owner(c.get('auth')), Number(since ?? 0), limit));
  })
  .get('/lookup', async (c) => {
    const auth = c.get('auth');
    const { number } = queryParams(c, lookupQuery);
    const e164 = normaliseNumber(number, await businessCountry(c.env.DB, auth.businessId));
    if (!e164) throw problems.validation([{ field: 'number', code: 'invalid_phone_number', message: 'This is not a phone number.' }]);
    const contact = await contactByE164(c.env.DB, owner(auth), e164);
    if (!contact) throw problems.notFound('contact with this number');
    return c.json({ contact } satisfies ContactLookup);
  })
  .get('/export.vcf', (c) => {
    const stream = exportStream(c.env.DB, owner(c.get('auth')));
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/vcard; charset=utf-8',
        'Content-Disposition': 'attachment; filename="contacts.vcf"',
        'Cache-Control': 'private, no-store',
      },
    });
  })
  .post('/import', async (c) => {
    const auth = c.get('auth');
    const started = Date.now();
    const input = await jsonBody(c, importBatchRequest);
    const result = await importBatch(c.env.DB, owner(auth), await businessCountry(c.env.DB, auth.businessId), input);
    // How long the batch took here (the import benchmark compares it with the round trip).
    c.header('Server-Timing', `import;dur=${Date.now() - started}`);
    if (!result.replayed && (result.created > 0 || result.contacts.length > 0)) notifyContactsChanged(c);
    return c.json(result);
  })
  .delete('/import/:importId', async (c) => {
    const importId = c.req.param('importId');
    if (!contactId.safeParse(importId).success) throw problems.notFound('import');
    const result = await rollbackImport(c.env.DB, owner(c.get('auth')), importId);
    if (result.removed > 0 || result.reverted > 0) notifyContactsChanged(c);
    return c.json(result);
  })
  .post('/', async (c) => {
    const auth = c.get('auth');
    const key = idempotencyKey(c.req.header('Idempotency-Key'));
    const input = await jsonBody(c, contactCreateRequest);
    const contact = normaliseContact(input, await businessCountry(c.env.DB, auth.businessId));
    const id = input.id ?? (key ? await idForKey(key) : undefined);
    const result = await createContact(c.env.DB, owner(auth), { id, source: input.source, contact });
    c.header('ETag', etag(result.contact.version));
    c.header('Location', `/api/contacts/${result.contact.id}`);
    if (result.created) notifyContactsChanged(c);
    else c.header('Idempotent-Replayed', 'true');
    return c.json(result.contact, result.created ? 201 : 200);
  })
  .get('/:id', async (c) => {
    const contact = await getLiveContact(c.env.DB, owner(c.get('auth')), pathId(c.req.param('id')));
    c.header('ETag', etag(contact.version));
    return c.json(contact);
  })
  .put('/:id', async (c) => {
    const auth = c.get('auth');
    const id = pathId(c.req.param('id'));
    const headerVersion = ifMatchVersion(c.req.header('If-Match'));
    const input = await jsonBody(c, contactUpdateRequest);
    const base = headerVersion ?? input.baseVersion;
    if (base === undefined) throw versionRequired();
    const contact = normaliseContact(input, await businessCountry(c.env.DB, auth.businessId));
    const updated = await updateContact(c.env.DB, owner(auth), id, base, contact);
    notifyContactsChanged(c);
    c.header('ETag', etag(updated.version));
    return c.json(updated);
  })
  .put('/:id/favourite', async (c) => {
    const id = pathId(c.req.param('id'));
    const { favourite } = await jsonBody(c, favouriteRequest);
    const contact = await setFavourite(c.env.DB, owner(c.get('auth')), id, favourite);
    notifyContactsChanged(c);
    c.header('ETag', etag(contact.version));
    return c.json(contact);
  })
  .delete('/:id', async (c) => {
    const id = pathId(c.req.param('id'));
    const query = c.req.query('baseVersion');
    const base = ifMatchVersion(c.req.header('If-Match')) ?? (query !== undefined ? ifMatchVersion(query) : undefined);
    if (base === undefined) throw versionRequired();
    await deleteContact(c.env.DB, owner(c.get('auth')), id, base);
    notifyContactsChanged(c);
    return c.body(null, 204);
  });
