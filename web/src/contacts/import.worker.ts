/**
 * Parses and prepares an import (or one part of it) off the page's thread,
 * so that a 50,000 contact file never freezes the screen (ical.js and
 * papaparse load here, not in the page).
 */
import { parseContactsFile, parseContactsText } from '../../../shared/contacts-import/parse';
import { prepareContacts } from '../../../shared/contacts-import/prepare';
import type { ParseRequest, ParseResponse } from './parse-file';

const scope = self as unknown as { onmessage: ((e: MessageEvent<ParseRequest>) => void) | null; postMessage(message: ParseResponse): void };

scope.onmessage = (e) => {
  const request = e.data;
  try {
    const parsed =
      'bytes' in request
        ? parseContactsFile(new Uint8Array(request.bytes), request.name)
        : parseContactsText(request.text, request.name, request.firstCard);
    scope.postMessage({ ok: true, format: parsed.format, prepared: prepareContacts(parsed, request.country) });
  } catch (error) {
    scope.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
