import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.js';
import { connectedFake, joinRoom } from './test-helpers.js';

const ttlLines = (log: HTMLElement) => Array.from(log.querySelectorAll('.system-line')).filter((line) => line.textContent?.includes('TTL changed'));

describe('a change of the room TTL in the log', () => {
  // jsdom has no layout: a viewport and row heights, so the virtualized log renders rows.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(4000);
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(40);
  });
  afterEach(() => vi.restoreAllMocks());

  it('adds exactly one line per change made in the picker, and none on joining', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'lobby', '239.255.42.99');
    const user = userEvent.setup();
    render(<App />);
    const log = screen.getByRole('list', { name: 'Messages in lobby' });
    expect(within(log).getByText(/Joined 239\.255\.42\.99:4242/)).toBeTruthy();
    expect(ttlLines(log)).toHaveLength(0);

    // The command's answer and the core's own `room` event both carry TTL 32: one line, not two.
    await user.selectOptions(screen.getByLabelText('TTL scope'), '32 – site');
    await waitFor(() => expect(ttlLines(log)).toHaveLength(1));
    expect(ttlLines(log)[0]?.textContent).toContain('TTL changed to 32 (site): new messages reach up to 31 routers away.');

    await user.selectOptions(screen.getByLabelText('TTL scope'), '1 – subnet');
    await waitFor(() => expect(ttlLines(log)).toHaveLength(2));
    expect(ttlLines(log)[1]?.textContent).toContain('TTL changed to 1 (subnet): new messages stay on this subnet: no router forwards them.');
  });

  it('says that a link-local group stays on the subnet whatever the TTL', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'mdns', '224.0.0.251', 5353);
    const user = userEvent.setup();
    render(<App />);
    const log = screen.getByRole('list', { name: 'Messages in mdns' });
    await user.selectOptions(screen.getByLabelText('TTL scope'), 'custom');
    const input = screen.getByLabelText('Custom TTL, 0 to 255');
    await user.clear(input);
    await user.type(input, '5');
    await user.click(screen.getByRole('button', { name: 'Set TTL' }));
    await waitFor(() => expect(ttlLines(log)).toHaveLength(1));
    expect(ttlLines(log)[0]?.textContent).toMatch(/TTL changed to 5 \(custom\): new messages reach up to 4 routers away\. But 224\.0\.0\.x is link-local/);
  });
});
