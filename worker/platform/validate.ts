import type { Context } from 'hono';
import type { z } from 'zod';
import { fieldErrors, problems } from './problem';

/** Reads and validates a JSON body with one schema; a bad body is a 400/422 problem. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw problems.badJson();
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw problems.validation(fieldErrors(result.error));
  return result.data;
}

/** Validates query parameters with one schema. */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw problems.validation(fieldErrors(result.error));
  return result.data;
}
