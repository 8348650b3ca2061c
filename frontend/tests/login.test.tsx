import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { apiError, info, listOf, makeAsset, mockApi } from './mockApi';

const unauthorized = apiError(401, 'unauthorized', 'Log in with the code printed by reelvault serve.');

/** A browser without a session cookie; POST /ui/v1/session with the right code "sets" it. */
function serveWithCode(code: string) {
  let loggedIn = false;
  const api = mockApi({
    'GET /ui/v1/info': () => (loggedIn ? { body: { data: info } } : unauthorized),
    'GET /video/v1/assets': () => (loggedIn ? listOf([makeAsset()]) : unauthorized),
    'GET /video/v1/assets/a1': () => (loggedIn ? { body: { data: makeAsset() } } : unauthorized),
    'DELETE /ui/v1/session': () => {
      loggedIn = false;
      return { status: 204 };
    },
    'POST /ui/v1/session': (call) => {
      if ((call.body as { code: string }).code !== code) return apiError(401, 'unauthorized', 'Invalid code');
      loggedIn = true;
      return { status: 204 };
    },
  });
  return { api, logOut: () => (loggedIn = false) };
}

describe('login', () => {
  it('a 401 asks for the one-time code, posts it, then shows the library', async () => {
    const { api } = serveWithCode('K7P-2QX');
    render(<App />);

    const input = await screen.findByLabelText('Access code');
    expect(screen.queryByRole('heading', { name: 'Library' })).toBeNull();
    fireEvent.input(input, { target: { value: ' K7P-2QX ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open Reelvault' }));

    expect(await screen.findByRole('heading', { name: 'Library' })).toBeTruthy();
    expect(await screen.findByText('Interview A')).toBeTruthy();
    expect(api.callsTo('POST', '/ui/v1/session').map((c) => c.body)).toEqual([{ code: 'K7P-2QX' }]);
    // The code never lands in the page address.
    expect(window.location.href).not.toContain('K7P');
  });

  it('a login link (?code=) logs in without typing, and the code leaves the address bar', async () => {
    const { api } = serveWithCode('K7P-2QX');
    window.history.replaceState(null, '', '/?code=K7P-2QX#/');
    render(<App />);
    expect(await screen.findByText('Interview A')).toBeTruthy();
    expect(api.callsTo('POST', '/ui/v1/session').map((c) => c.body)).toEqual([{ code: 'K7P-2QX' }]);
    expect(window.location.href).not.toContain('K7P');
  });

  it('a used login link shows the login screen saying why, and the code leaves the address bar', async () => {
    serveWithCode('NEW-CODE');
    window.history.replaceState(null, '', '/?code=OLD-CODE#/');
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/login link has been used already or has expired/);
    expect(alert.textContent).toMatch(/reelvault login-code/);
    expect(screen.getByLabelText('Access code')).toBeTruthy();
    expect(window.location.href).not.toContain('OLD-CODE');
  });

  it('Sign out ends the session on the server', async () => {
    const { api } = serveWithCode('K7P-2QX');
    window.history.replaceState(null, '', '/?code=K7P-2QX#/');
    render(<App />);
    await screen.findByText('Interview A');
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await vi.waitFor(() => expect(reload).toHaveBeenCalled());
    expect(api.callsTo('DELETE', '/ui/v1/session')).toHaveLength(1);
  });

  it('a wrong code keeps the login screen and says what to do', async () => {
    serveWithCode('K7P-2QX');
    render(<App />);
    fireEvent.input(await screen.findByLabelText('Access code'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open Reelvault' }));
    expect((await screen.findByRole('alert')).textContent).toContain('That code did not work');
    expect(screen.getByLabelText('Access code')).toBeTruthy();
  });

  it('a session that expires mid-use brings the login screen back', async () => {
    const { api, logOut } = serveWithCode('K7P-2QX');
    render(<App />);
    fireEvent.input(await screen.findByLabelText('Access code'), { target: { value: 'K7P-2QX' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open Reelvault' }));
    await screen.findByText('Interview A');

    logOut();
    window.location.hash = '#/assets/a1';
    expect(await screen.findByLabelText('Access code')).toBeTruthy();
    expect(api.callsTo('GET', '/video/v1/assets/a1').length).toBeGreaterThan(0);
  });
});
