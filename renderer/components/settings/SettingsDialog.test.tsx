import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App.js';
import { connect } from '../../connect.js';
import { createFakeApi, type FakeMcchat } from '../../fake-api.js';
import { PRESENTER_KEY, setPresenter } from '../../store/inspector-store.js';
import { loadPreferences, savePreferences } from '../../store/preferences-store.js';
import { useChatStore } from '../../store/store.js';
import { connectedFake, joinRoom } from '../../test-helpers.js';

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => 400);
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(() => 4000);
});
afterEach(() => vi.restoreAllMocks());

async function openSettings(fake?: FakeMcchat) {
  const api = fake ?? (await connectedFake());
  const user = userEvent.setup();
  render(<App />);
  const button = screen.getByRole('button', { name: 'Settings' });
  await user.click(button);
  const dialog = screen.getByRole('dialog', { name: 'Settings' });
  // The preferences are read again on open.
  await within(dialog).findByRole('checkbox', { name: 'Show notifications for new messages' });
  return { fake: api, user, button, dialog };
}

async function savedPreferences(fake: FakeMcchat) {
  const result = await fake.getPreferences();
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('Settings dialog', () => {
  it('opens from the header with focus on the first field; Escape closes it and focus goes back to the button', async () => {
    const { user, button, dialog } = await openSettings();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: 'Nickname' }));

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('keeps Tab inside the dialog', async () => {
    const { user, dialog } = await openSettings();
    within(dialog).getByRole('button', { name: 'Done' }).focus();
    await user.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close: Settings' }));
  });

  it('saves each change at once with the matching patch', async () => {
    const fake = await connectedFake();
    const lab = await joinRoom(fake, 'lab', '239.255.0.7');
    const spy = vi.spyOn(fake, 'setPreferences');
    const { user, dialog } = await openSettings(fake);
    const last = () => spy.mock.calls.at(-1)?.[0];

    await user.click(within(dialog).getByRole('checkbox', { name: 'Show notifications for new messages' }));
    expect(last()).toEqual({ notifications: { enabled: false } });

    // Out of the box every message notifies.
    expect(within(dialog).getByRole('radio', { name: 'All messages' })).toHaveProperty('checked', true);
    await user.click(within(dialog).getByRole('radio', { name: 'Mentions only' }));
    expect(last()).toEqual({ notifications: { defaultLevel: 'mentions' } });
    expect(within(dialog).getByRole('radio', { name: 'Mentions only' })).toHaveProperty('checked', true);

    const roomLevel = within(dialog).getByRole('combobox', { name: 'This room (lab)' });
    expect(within(roomLevel).getByRole('option', { name: 'The default (Mentions only)' })).toBeTruthy();
    await user.selectOptions(roomLevel, 'none');
    expect(last()).toEqual({ notifications: { rooms: { [lab.roomId]: 'none' } } });
    await user.selectOptions(roomLevel, '');
    expect(last()).toEqual({ notifications: { rooms: { [lab.roomId]: null } } });

    await user.click(within(dialog).getByRole('checkbox', { name: 'Keep running in the tray when the window closes' }));
    expect(last()).toEqual({ closeToTray: true });

    await user.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    expect(last()).toEqual({ theme: 'dark' });

    const iface = within(dialog).getByRole('combobox', { name: 'Default interface' });
    expect(within(iface).getAllByRole('option').map((o) => o.textContent)).toEqual(['Every LAN interface (the default)', 'eth0 (192.168.1.10)', 'lo (127.0.0.1)']);
    await user.selectOptions(iface, '192.168.1.10');
    expect(last()).toEqual({ defaultIface: '192.168.1.10' });

    await waitFor(() => expect(within(dialog).getByRole('status').textContent).toBe('Saved.'));
    expect(await savedPreferences(fake)).toEqual({
      notifications: { enabled: false, defaultLevel: 'mentions', rooms: {} },
      closeToTray: true,
      theme: 'dark',
      presenter: false,
      defaultIface: '192.168.1.10',
    });

    await user.selectOptions(iface, '');
    expect(last()).toEqual({ defaultIface: null });
  });

  it('says in the dialog when a change was not saved, and shows the old value again', async () => {
    const fake = await connectedFake();
    vi.spyOn(fake, 'setPreferences').mockResolvedValueOnce({ ok: false, error: { code: 'INTERNAL', message: 'The settings file could not be written (disk full).' } });
    const { user, dialog } = await openSettings(fake);

    await user.click(within(dialog).getByRole('radio', { name: 'Light' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The theme was not saved: The settings file could not be written (disk full).');
    expect(within(dialog).getByRole('radio', { name: 'System' })).toHaveProperty('checked', true);
  });

  it('checks a patch with the settings schema before it goes to main', async () => {
    const fake = await connectedFake();
    const spy = vi.spyOn(fake, 'setPreferences');
    expect(await savePreferences({ defaultIface: 'eth0' })).toBe('The interface must be an IPv4 address of this machine, such as 127.0.0.1.');
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('the nickname in Settings: Done never drops a typed one', () => {
  it('Done saves a changed, valid nickname before the dialog closes', async () => {
    const fake = await connectedFake();
    const spy = vi.spyOn(fake, 'setNickname');
    const { user, button, dialog } = await openSettings(fake);
    const field = within(dialog).getByRole('textbox', { name: 'Nickname' });
    await user.clear(field);
    await user.type(field, '  ada ');

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith('ada');
    expect(useChatStore.getState().nickname).toBe('ada');
    expect(document.activeElement).toBe(button);
  });

  it('Done with an invalid nickname keeps the dialog open, shows the error and puts focus on the field', async () => {
    const fake = await connectedFake();
    const spy = vi.spyOn(fake, 'setNickname');
    const { user, dialog } = await openSettings(fake);
    const field = within(dialog).getByRole('textbox', { name: 'Nickname' });
    await user.clear(field);
    await user.click(within(dialog).getByRole('radio', { name: 'Dark' }));

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBe(dialog);
    expect(document.activeElement).toBe(field);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByText('A nickname needs at least one character.').id).toBe(field.getAttribute('aria-describedby'));
    expect(spy).not.toHaveBeenCalled();
    expect(useChatStore.getState().nickname).toBe('me');

    // Fixed, Done goes through.
    await user.type(field, 'grace');
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(useChatStore.getState().nickname).toBe('grace');
  });

  it('closing with Escape saves a changed nickname too', async () => {
    const fake = await connectedFake();
    const { user, dialog } = await openSettings(fake);
    const field = within(dialog).getByRole('textbox', { name: 'Nickname' });
    await user.clear(field);
    await user.type(field, 'lin{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(useChatStore.getState().nickname).toBe('lin');
  });

  it('a nickname main refuses keeps the dialog open with its reason', async () => {
    const fake = await connectedFake();
    vi.spyOn(fake, 'setNickname').mockResolvedValueOnce({ ok: false, error: { code: 'INTERNAL', message: 'The settings file could not be written.' } });
    const { user, dialog } = await openSettings(fake);
    const field = within(dialog).getByRole('textbox', { name: 'Nickname' });
    await user.clear(field);
    await user.type(field, 'ada');
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(await within(dialog).findByText('The settings file could not be written.')).toBeTruthy();
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBe(dialog);
    expect(document.activeElement).toBe(field);
    expect(field).toHaveProperty('value', 'ada');
  });

  it("the field's own Save saves once; an unchanged nickname is not sent again by Done", async () => {
    const fake = await connectedFake();
    const spy = vi.spyOn(fake, 'setNickname');
    const { user, dialog } = await openSettings(fake);
    const field = within(dialog).getByRole('textbox', { name: 'Nickname' });
    await user.clear(field);
    await user.type(field, 'ada');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(dialog).getByRole('status').textContent).toBe('You are now ada.'));
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('notification settings say what they do', () => {
  it('the default level is All messages; help for on/off, mentions with your nick, and the open room only', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'lobby', '239.255.0.8');
    const { dialog } = await openSettings(fake);
    const enabled = within(dialog).getByRole('checkbox', { name: 'Show notifications for new messages' });
    expect(enabled).toHaveProperty('checked', true);
    expect(document.getElementById(enabled.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'When on, rooms notify as chosen below. When off, no room notifies; the unread count still shows in the title, badge and tray.',
    );
    expect(within(dialog).getByRole('radio', { name: 'All messages' })).toHaveProperty('checked', true);
    const mentionsOnly = within(dialog).getByRole('radio', { name: 'Mentions only' });
    expect(document.getElementById(mentionsOnly.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Only messages that mention you (@me).');

    const roomLevel = within(dialog).getByRole('combobox', { name: 'This room (lobby)' });
    expect((roomLevel as HTMLSelectElement).value).toBe('');
    expect(within(roomLevel).getByRole('option', { name: 'The default (All messages)' })).toBeTruthy();
    expect(document.getElementById(roomLevel.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(/^Only for lobby, the room that is open\. Every room has its own setting/);
  });
});

describe('presenter mode: one state for the header switch and the dialog', () => {
  it("main's saved value wins over the page's cache at start", async () => {
    localStorage.removeItem(PRESENTER_KEY);
    const fake = createFakeApi({ nickname: 'me' });
    await fake.setPreferences({ presenter: true });
    await connect(fake);
    render(<App />);
    expect(screen.getByRole('button', { name: 'Presenter mode' }).getAttribute('aria-pressed')).toBe('true');
    expect(localStorage.getItem(PRESENTER_KEY)).toBe('1');
  });

  it('an update from a version that kept presenter mode only in the page carries it over, once', async () => {
    setPresenter(true); // what the old version left in the page's storage
    const fake = createFakeApi({ nickname: 'me' });
    await connect(fake);
    render(<App />);
    await waitFor(async () => expect((await savedPreferences(fake)).presenter).toBe(true));
    expect(screen.getByRole('button', { name: 'Presenter mode' }).getAttribute('aria-pressed')).toBe('true');
    // Carried over once: from then on main's value is the one, even if the page's copy disagrees.
    await fake.setPreferences({ presenter: false });
    setPresenter(true);
    await loadPreferences();
    expect(screen.getByRole('button', { name: 'Presenter mode' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('the switch and the checkbox show and save the same value', async () => {
    const fake = await connectedFake();
    const user = userEvent.setup();
    render(<App />);
    const toggle = screen.getByRole('button', { name: 'Presenter mode' });

    await user.click(toggle);
    await waitFor(async () => expect((await savedPreferences(fake)).presenter).toBe(true));

    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    const checkbox = within(dialog).getByRole('checkbox', { name: 'Presenter mode' });
    expect(checkbox).toHaveProperty('checked', true);

    await user.click(checkbox);
    expect(checkbox).toHaveProperty('checked', false);
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(localStorage.getItem(PRESENTER_KEY)).toBeNull();
    await waitFor(async () => expect((await savedPreferences(fake)).presenter).toBe(false));
  });

  it('a switch that could not be saved goes back and says why', async () => {
    const fake = await connectedFake();
    vi.spyOn(fake, 'setPreferences').mockResolvedValueOnce({ ok: false, error: { code: 'INTERNAL', message: 'The settings file could not be written.' } });
    const user = userEvent.setup();
    render(<App />);
    const toggle = screen.getByRole('button', { name: 'Presenter mode' });
    await user.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-pressed')).toBe('false'));
    // The notice line, and its announcement for screen readers.
    expect(screen.getAllByText('Presenter mode was not saved: The settings file could not be written.', { exact: false }).length).toBeGreaterThan(0);
  });
});
