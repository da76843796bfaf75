import { useState } from 'preact/hooks';
import { contactsToVCard } from '../../../shared/contacts-import/vcard-export';
import { online } from '../app/connectivity';
import { Screen } from '../app/Screen';
import { loadContacts } from '../storage/contacts-store';
import { compareContacts } from '../storage/local-contact';
import { useContacts } from './use-contacts';

/** Export every contact as one vCard 4.0 file: made on the device (works offline), or downloaded from the account. */
export function ExportScreen() {
  const state = useContacts();
  const [file, setFile] = useState<{ url: string; count: number } | null>(null);
  const count = state.status === 'ready' ? state.contacts.size : 0;

  async function build() {
    const contacts = [...(await loadContacts()).values()].sort(compareContacts);
    if (file) URL.revokeObjectURL(file.url);
    const blob = new Blob([contactsToVCard(contacts)], { type: 'text/vcard;charset=utf-8' });
    setFile({ url: URL.createObjectURL(blob), count: contacts.length });
  }

  return (
    <Screen title="Export contacts">
      <p>
        <a href="/contacts">← All contacts</a>
      </p>
      <p>One vCard file (.vcf) with all {count.toLocaleString()} contacts, which phones, Google Contacts and Outlook can import.</p>
      <div class="form-actions">
        <button type="button" disabled={count === 0} onClick={() => void build()}>
          Make the file from this device
        </button>
        {online.value && (
          <a class="button secondary" href="/api/contacts/export.vcf" download="contacts.vcf">
            Download from your account
          </a>
        )}
      </div>
      {file && (
        <p class="form-note" role="status">
          Ready: {file.count.toLocaleString()} contacts.{' '}
          <a href={file.url} download="contacts.vcf">
            Save contacts.vcf
          </a>
        </p>
      )}
    </Screen>
  );
}
