import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../web/src/app/App';
import { me } from '../../web/src/auth/session';
import { lookupContactByNumber } from '../../web/src/contacts/caller-identity';
import { deleteContactsDb } from '../../web/src/storage/contacts-db';
import { dropMirror } from '../../web/src/storage/contacts-store';
import { stopContactsSync, syncSettled, syncStatus } from '../../web/src/storage/contacts-sync';
import { contactsApi, FakeContactsServer } from './support/contacts-server';
import { aMe, json } from './support/fake-api';
import { press, type } from './support/ui';

let server: FakeContactsServer;
let api: ReturnType<typeof contactsApi>;

function open(path: string) {
  history.replaceState(null, '', path);
  render(<App />);
}

const heading = (name: string | RegExp) => screen.findByRole('heading', { level: 1, name }, { timeout: 4000 });

beforeEach(() => {
  server = new FakeContactsServer();
  api = contactsApi(server, { 'GET /api/me': () => json(200, aMe()) });
  me.value = aMe();
});

afterEach(async () => {
  await stopContactsSync();
  await deleteContactsDb();
  dropMirror();
});

function seedPhoneBook() {
  server.add({ firstName: 'Bea', lastName: 'Brown', company: 'Bakery', numbers: [{ value: '020 7946 0001' }] });
  server.add({ firstName: 'Ada', lastName: 'Lovelace', numbers: [{ label: 'mobile', value: '07700 900123' }] });
  server.add({ firstName: 'Zed', lastName: 'Zimmer', favourite: true, numbers: [{ value: '+1 202 555 0123' }] });
  server.add({ firstName: 'Alan', lastName: 'Turing', company: 'Bletchley', numbers: [{ value: '020 7946 0002' }] });
}

describe('contacts list', () => {
  it('shows favourites first, then A to Z sections, each with a one-tap call', async () => {
    seedPhoneBook();
    open('/contacts');
    await screen.findByText('Ada Lovelace');
    const sections = [...document.querySelectorAll<HTMLElement>('.contact-section')];
    expect(sections.map((s) => within(s).getByRole('heading', { level: 2 }).textContent)).toEqual(['Favourites', 'A', 'B']);
    expect(
      within(sections[1] as HTMLElement)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.contact-name')?.textContent),
    ).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect(screen.getByRole('link', { name: 'Call Zed Zimmer' }).getAttribute('href')).toBe('/?dial=%2B12025550123');
  });

  it('searches on the device as you type: name prefixes, companies and number fragments', async () => {
    seedPhoneBook();
    open('/contacts');
    await screen.findByText('Ada Lovelace');
    const names = () => [...document.querySelectorAll('.contact-name')].map((el) => el.textContent);
    const before = api.seen.length;
    type('Search contacts', 'al');
    expect(names()).toEqual(['Alan Turing']);
    type('Search contacts', 'bletch');
    expect(names()).toEqual(['Alan Turing']);
    type('Search contacts', '7946');
    expect(names()).toEqual(['Alan Turing', 'Bea Brown']);
    type('Search contacts', '+1 202');
    expect(names()).toEqual(['Zed Zimmer']);
    type('Search contacts', 'nobody');
    expect(screen.getByText('No contacts match “nobody”.')).toBeTruthy();
    // Search never asks the network.
    expect(api.seen.slice(before).filter((r) => r.path !== '/api/contacts/changes')).toEqual([]);
  });

  it('works offline from the copy on the device, and says so', async () => {
    seedPhoneBook();
    open('/contacts');
    await screen.findByText('Ada Lovelace');
    await syncSettled();
    server.offline = true;
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    window.dispatchEvent(new Event('offline'));
    expect(await screen.findByText(/Showing the contacts saved on this device/)).toBeTruthy();
    expect(screen.getByText('Bea Brown')).toBeTruthy();
    window.dispatchEvent(new Event('online'));
    vi.restoreAllMocks();
  });

  it('invites to add or import when there are none', async () => {
    open('/contacts');
    expect(await screen.findByText(/No contacts yet/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'import them' }).getAttribute('href')).toBe('/contacts/import');
  });
});

describe('adding, editing, starring and deleting', () => {
  it('adds a contact (validated like the server), shows it with call and text links, and sends it', async () => {
    open('/contacts/new');
    await heading('New contact');
    type('First name', 'Grace');
    type('Number 1', '12');
    press('Save');
    const number = screen.getByLabelText('Number 1');
    await waitFor(() => expect(number.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/This is not a phone number we can call/)).toBeTruthy();

    type('Number 1', '');
    press('Save');
    expect(await screen.findByText('Add a phone number: it is the one thing a contact needs.')).toBeTruthy();

    type('Number 1', '+1 202 555 0142');
    press('Add an email address');
    type('Email 1', 'grace@navy.example');
    press('Save');
    await heading('Grace');
    expect(screen.getByRole('link', { name: /^Call Grace/ }).getAttribute('href')).toBe('/?dial=%2B12025550142');
    expect(screen.getByRole('link', { name: /^Text Grace/ }).getAttribute('href')).toBe('/messages?to=%2B12025550142');
    // The save queues it in the outbox; the push that follows may not have started yet.
    await waitFor(
      () =>
        expect(server.live()).toMatchObject([
          { firstName: 'Grace', numbers: [{ e164: '+12025550142' }], emails: [{ value: 'grace@navy.example' }] },
        ]),
      { timeout: 4000 },
    );
  });

  it('edits, stars and deletes a contact', async () => {
    const ada = server.add({ firstName: 'Ada', lastName: 'Lovelace', numbers: [{ value: '07700 900123' }] });
    open(`/contacts/${ada.id}`);
    await heading('Ada Lovelace');
    const star = screen.getByRole('button', { name: /favourites/i });
    fireEvent.click(star);
    await waitFor(() => expect(screen.getByRole('button', { name: /Favourite/ }).getAttribute('aria-pressed')).toBe('true'));

    fireEvent.click(screen.getByRole('link', { name: 'Edit' }));
    expect(((await screen.findByLabelText('Number 1')) as HTMLInputElement).value).toBe('07700 900123');
    type('Company', 'Analytical Engines');
    press('Save');
    await heading('Ada Lovelace');
    expect(screen.getByText('Analytical Engines')).toBeTruthy();
    await waitFor(() => expect(server.rows.get(ada.id)?.contact).toMatchObject({ company: 'Analytical Engines', favourite: true }), {
      timeout: 4000,
    });

    press('Delete');
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await heading('Contacts');
    await syncSettled();
    expect(server.live()).toEqual([]);
  });

  it('shows a conflict on the contact and applies the user’s edit when asked', async () => {
    const ada = server.add({ firstName: 'Ada', company: 'Engines', numbers: [{ value: '07700 900123' }] });
    open(`/contacts/${ada.id}/edit`);
    await screen.findByLabelText('Company');
    await syncSettled();
    server.change(ada.id, { company: 'Theirs Ltd' });
    type('Company', 'Mine Ltd');
    press('Save');
    const panel = await screen.findByRole('alert', {}, { timeout: 4000 });
    expect(panel.textContent).toContain('changed on another device');
    expect(within(panel).getByText('Mine Ltd')).toBeTruthy();
    expect(within(panel).getByText('Theirs Ltd')).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Use my edit' }));
    await waitFor(() => expect(server.rows.get(ada.id)?.contact.company).toBe('Mine Ltd'));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(syncStatus.value.problems).toEqual([]);
  });
});

describe('import and export', () => {
  it('reads a Google CSV, previews it, imports it in batches and reports', async () => {
    server.add({ firstName: 'Ada', lastName: 'Lovelace', numbers: [{ value: '07700 900130' }] });
    open('/contacts/import');
    await heading('Import contacts');
    const bytes = readFileSync(join(import.meta.dirname, '../fixtures/contacts/google.csv'));
    const file = new File([bytes], 'google.csv', { type: 'text/csv' });
    const input = screen.getByLabelText('Choose a vCard (.vcf) or CSV file');
    Object.defineProperty(input, 'files', { value: [file] });
    fireEvent.change(input);
    const preview = await screen.findByRole('region', { name: /google\.csv/ }, { timeout: 4000 });
    expect(preview.textContent).toContain('New contacts2');
    expect(preview.textContent).toContain('Already in your contacts1');
    expect(preview.textContent).toContain('Left out1');
    fireEvent.click(within(preview).getByText(/Left out \(1\)/));
    expect(within(preview).getByText(/Bob NoPhone/)).toBeTruthy();
    fireEvent.click(within(preview).getByRole('button', { name: 'Import 3 contacts' }));
    expect(await screen.findByText(/Done: 3 new/)).toBeTruthy();
    const [batch] = api.calls('POST /api/contacts/import');
    expect(batch?.body).toMatchObject({ batch: 0, mode: 'merge', source: 'file' });
    expect((batch?.body as { contacts: unknown[] } | undefined)?.contacts).toHaveLength(3);
    fireEvent.click(screen.getByRole('link', { name: 'See your contacts' }));
    expect(await screen.findByText('Zoë Ñúñez')).toBeTruthy();
  });

  it('a batch that fails stops the import; it continues from there, or is undone', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `Person ${i},020 7946 ${String(i).padStart(4, '0')}`);
    const file = new File([`Name,Mobile Phone\r\n${rows.join('\r\n')}\r\n`], 'big.csv', { type: 'text/csv' });
    // The second batch fails on every retry (three attempts), then works.
    server.failingBatches.set(1, 3);
    open('/contacts/import');
    await heading('Import contacts');
    const input = screen.getByLabelText('Choose a vCard (.vcf) or CSV file');
    Object.defineProperty(input, 'files', { value: [file] });
    fireEvent.change(input);
    fireEvent.click(await screen.findByRole('button', { name: 'Import 2,500 contacts' }, { timeout: 4000 }));
    expect(await screen.findByText(/The import stopped after 2,000 of 2,500 contacts/, {}, { timeout: 8000 })).toBeTruthy();
    expect(server.live()).toHaveLength(2000);

    fireEvent.click(screen.getByRole('button', { name: 'Continue the import' }));
    expect(await screen.findByText(/Done: 2,500 new/, {}, { timeout: 4000 })).toBeTruthy();
    expect(server.live()).toHaveLength(2500);

    fireEvent.click(screen.getByRole('button', { name: 'Undo this import' }));
    expect(await screen.findByText(/The import was undone: 2,500 contacts removed/)).toBeTruthy();
    expect(server.live()).toEqual([]);
  }, 20_000);

  it('exports the device’s contacts as a vCard file', async () => {
    seedPhoneBook();
    const blobs: Blob[] = [];
    const createObjectURL = (b: Blob) => {
      blobs.push(b);
      return 'blob:contacts';
    };
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: () => {} }));
    open('/contacts/export');
    await heading('Export contacts');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Make the file from this device' }).hasAttribute('disabled')).toBe(false),
    );
    press('Make the file from this device');
    const link = await screen.findByRole('link', { name: 'Save contacts.vcf' });
    expect(link.getAttribute('download')).toBe('contacts.vcf');
    const text = await (blobs[0] as Blob).text();
    expect(text.match(/BEGIN:VCARD/g)).toHaveLength(4);
    expect(text).toContain('FN:Ada Lovelace');
  });
});

describe('caller identity', () => {
  it('names a caller from the device’s copy, and never from another user’s', async () => {
    seedPhoneBook();
    open('/contacts');
    await screen.findByText('Ada Lovelace');
    expect(await lookupContactByNumber('+447700900123')).toEqual({
      contactId: expect.any(String),
      name: 'Ada Lovelace',
      company: '',
      favourite: false,
    });
    expect(await lookupContactByNumber('+447700900999')).toBeUndefined();
    me.value = aMe({ user: { id: 'someone-else' } });
    expect(await lookupContactByNumber('+447700900123')).toBeUndefined();
  });
});
