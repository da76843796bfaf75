import { fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { anAdminWorld, openAdminPage, section } from './support/fake-admin';

function numberRow(e164: string): HTMLElement {
  const item = section('Numbers')
    .getAllByRole('listitem')
    .find((li) => li.textContent?.includes(e164));
  if (!item) throw new Error(`no row for ${e164}`);
  return item;
}

function choose(scope: ReturnType<typeof section>, label: string, value: string) {
  fireEvent.change(scope.getByLabelText(label), { target: { value } });
}

describe('admin page: numbers', () => {
  it('lists the pool: the main number first, who holds each, and free ones', async () => {
    await openAdminPage();
    await section('Numbers').findByText('+442079460100');
    expect(numberRow('+442079460100').textContent).toContain('Main');
    expect(numberRow('+442079460101').textContent).toContain("Charles Babbage's number");
    expect(numberRow('+442079460102').textContent).toContain('Free');
  });

  it('assigns a free number to a user with the right body', async () => {
    const api = await openAdminPage();
    const numbers = section('Numbers');
    await numbers.findByLabelText('Free number');
    choose(numbers, 'Free number', 'n3');
    choose(numbers, 'To', 'u3');
    fireEvent.click(numbers.getByRole('button', { name: 'Assign number' }));
    expect(await numbers.findByText("+442079460102 is now Grace Hopper's number.")).toBeTruthy();
    expect(api.calls('POST /api/admin/numbers/n3/assignment')[0]?.body).toEqual({ userId: 'u3' });
    await waitFor(() => expect(numberRow('+442079460102').textContent).toContain("Grace Hopper's number"));
  });

  it('unassigns a number by its id', async () => {
    const api = await openAdminPage();
    const unassign = await section('Numbers').findByRole('button', { name: 'Unassign +442079460101 from Charles Babbage' });
    fireEvent.click(unassign);
    expect(await section('Numbers').findByText('+442079460101 is back in the pool.')).toBeTruthy();
    expect(api.calls('DELETE /api/admin/numbers/n2/assignment')).toHaveLength(1);
  });

  it('overrides a user’s number with the main number, and clears it', async () => {
    const world = anAdminWorld();
    const api = await openAdminPage(world);
    const numbers = section('Numbers');
    await numbers.findByLabelText('Calls go out and come in on');
    choose(numbers, 'User', 'u2');
    expect((numbers.getByLabelText('Calls go out and come in on') as HTMLSelectElement).value).toBe('');
    choose(numbers, 'Calls go out and come in on', 'n1');
    fireEvent.click(numbers.getByRole('button', { name: 'Save override' }));
    expect(await numbers.findByText("Charles Babbage's calls now go out and come in on +442079460100.")).toBeTruthy();
    expect(api.calls('PATCH /api/admin/users/u2/override')[0]?.body).toEqual({ numberId: 'n1' });
    await waitFor(() => expect(numberRow('+442079460100').textContent).toContain('Also used by Charles Babbage (override)'));
    // The form now shows the override for that user; choosing "their own number" clears it.
    expect((numbers.getByLabelText('Calls go out and come in on') as HTMLSelectElement).value).toBe('n1');
    choose(numbers, 'Calls go out and come in on', '');
    fireEvent.click(numbers.getByRole('button', { name: 'Save override' }));
    expect(await numbers.findByText("Charles Babbage's calls use their own number again.")).toBeTruthy();
    expect(api.calls('DELETE /api/admin/users/u2/override')).toHaveLength(1);
  });
});

describe('admin page: extensions', () => {
  it('lists extensions and clears one', async () => {
    const api = await openAdminPage();
    const extensions = section('Extensions');
    const clear = await extensions.findByRole('button', { name: 'Clear extension 201 of Charles Babbage' });
    fireEvent.click(clear);
    expect(await extensions.findByText('Charles Babbage no longer has an extension.')).toBeTruthy();
    expect(api.calls('DELETE /api/admin/users/u2/extension')).toHaveLength(1);
    expect(await extensions.findByText('Nobody has an extension yet.')).toBeTruthy();
  });

  it('sets an extension, starting from the user’s current one', async () => {
    const api = await openAdminPage();
    const extensions = section('Extensions');
    await extensions.findByLabelText('Extension');
    choose(extensions, 'User', 'u2');
    const input = extensions.getByLabelText('Extension') as HTMLInputElement;
    expect(input.value).toBe('201');
    fireEvent.input(input, { target: { value: '202' } });
    fireEvent.click(extensions.getByRole('button', { name: 'Save extension' }));
    expect(await extensions.findByText('Charles Babbage now has extension 202.')).toBeTruthy();
    expect(api.calls('PATCH /api/admin/users/u2/extension')[0]?.body).toEqual({ extension: '202' });
  });

  it('shows extension_taken next to the field', async () => {
    await openAdminPage();
    const extensions = section('Extensions');
    await extensions.findByLabelText('Extension');
    choose(extensions, 'User', 'u1');
    const input = extensions.getByLabelText('Extension') as HTMLInputElement;
    fireEvent.input(input, { target: { value: '201' } });
    fireEvent.click(extensions.getByRole('button', { name: 'Save extension' }));
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(within(input.closest('.field') as HTMLElement).getByText('Extension 201 is taken; choose another.')).toBeTruthy();
  });
});
