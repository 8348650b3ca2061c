import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Settings } from '../src/api/settings';
import { RtmpAddressSetting } from '../src/components/RtmpAddressSetting';
import { apiError, infoRoute, listOf, mockApi } from './mockApi';

const base: Settings = {
  data_dir: '/home/me/.local/share/reelvault',
  link_ttl_seconds: 86_400,
  share_listen: '127.0.0.1:8911',
  share_base_url: 'http://127.0.0.1:8911',
  public_url_fixed: false,
  share_options: [
    { host: '127.0.0.1', label: 'This computer only' },
    { host: '192.168.1.20', label: 'Local network (wlan0, 192.168.1.20)' },
    { host: '0.0.0.0', label: 'Every network of this computer' },
  ],
  api_url: 'http://127.0.0.1:8910',
  rtmp_url: 'rtmp://127.0.0.1:1935/live',
  token_id: 'tok_123',
  from_command_line: { link_ttl_seconds: false, share_host: false },
  ffmpeg_path: '',
  ffmpeg_in_use: '/usr/bin/ffmpeg',
  notifications: true,
  notifications_available: true,
  share_base: 'address',
  share_name: 'studio.local',
};

/** A settings endpoint that applies PATCHes, refusing share hosts marked as busy. */
function backend(initial: Settings = base, busyHosts: string[] = [], info = infoRoute) {
  let current = initial;
  const api = mockApi({
    ...info,
    'GET /video/v1/assets': listOf([]),
    'GET /ui/v1/settings': () => ({ body: { data: current } }),
    'PATCH /ui/v1/settings': (call) => {
      const body = call.body as {
        link_ttl_seconds?: number;
        share_host?: string;
        ffmpeg_path?: string;
        notifications?: boolean;
        share_base?: 'address' | 'name';
      };
      if (body.notifications !== undefined) current = { ...current, notifications: body.notifications };
      if (body.share_base) {
        const host = current.share_listen.split(':')[0];
        const shown = body.share_base === 'name' && host !== '127.0.0.1' ? current.share_name : host;
        current = { ...current, share_base: body.share_base, share_base_url: `http://${shown}:8911` };
      }
      if (body.ffmpeg_path !== undefined) {
        current = { ...current, ffmpeg_path: body.ffmpeg_path, ffmpeg_in_use: `${body.ffmpeg_path}/ffmpeg`, ffmpeg_problem: undefined };
      }
      if (body.share_host && busyHosts.includes(body.share_host)) {
        return apiError(400, 'invalid_parameters', `share_host listen tcp ${body.share_host}:8911: bind: address already in use`);
      }
      if (body.link_ttl_seconds !== undefined) current = { ...current, link_ttl_seconds: body.link_ttl_seconds };
      if (body.share_host) {
        current = { ...current, share_listen: `${body.share_host}:8911`, share_base_url: `http://${body.share_host}:8911` };
      }
      return { body: { data: current } };
    },
    'GET /ui/v1/settings/access-token': { body: { data: { id: 'tok_123', secret: 's3cr3t-value' } } },
  });
  return api;
}

async function openSettings() {
  window.location.hash = '#/settings';
  render(<App />);
  await screen.findByRole('heading', { name: 'Settings' });
  await screen.findByRole('heading', { name: 'Download links' });
}

describe('settings', () => {
  it('turns desktop notifications off with PATCH', async () => {
    const api = backend();
    await openSettings();
    const box = screen.getByRole('checkbox', { name: /Notify me when a master is ready/ }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await waitFor(() => expect(api.callsTo('PATCH', '/ui/v1/settings').map((c) => c.body)).toEqual([{ notifications: false }]));
    await waitFor(() => expect((screen.getByRole('checkbox', { name: /Notify me/ }) as HTMLInputElement).checked).toBe(false));
  });

  it('says only the window notifies when Reelvault runs in a browser', async () => {
    backend({ ...base, notifications: false, notifications_available: false });
    await openSettings();
    expect(screen.queryByRole('checkbox', { name: /Notify me/ })).toBeNull();
    expect(screen.getByText(/Only the Reelvault window shows desktop notifications/)).toBeTruthy();
  });

  it('builds links on name.local once they are shared on a network', async () => {
    const api = backend({ ...base, share_listen: '192.168.1.20:8911', share_base_url: 'http://192.168.1.20:8911' });
    await openSettings();
    fireEvent.click(screen.getByRole('radio', { name: /Its name, studio\.local/ }));
    await waitFor(() => expect(api.callsTo('PATCH', '/ui/v1/settings').map((c) => c.body)).toEqual([{ share_base: 'name' }]));
    expect(await screen.findByText('http://studio.local:8911')).toBeTruthy();
    expect(screen.getByText(/announces studio\.local on the network/)).toBeTruthy();
  });

  it('is in the navigation and shows storage, lifetime and the share address in use', async () => {
    backend();
    await openSettings();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');
    expect((screen.getByRole('textbox', { name: 'Storage folder' }) as HTMLInputElement).value).toBe(base.data_dir);
    expect(screen.getByText(/start it with/)).toBeTruthy();
    expect((screen.getByRole('spinbutton', { name: 'Link lifetime' }) as HTMLInputElement).value).toBe('24');
    expect((screen.getByRole('combobox', { name: 'Unit' }) as HTMLSelectElement).value).toBe('hours');
    expect((screen.getByRole('radio', { name: /This computer only/ }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('watch-folders-slot')).toBeTruthy();
  });

  it('saves the link lifetime with PATCH and refreshes what the window knows', async () => {
    const api = backend();
    await openSettings();
    const infoCalls = api.callsTo('GET', '/ui/v1/info').length;
    fireEvent.input(screen.getByRole('spinbutton', { name: 'Link lifetime' }), { target: { value: '3' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Unit' }), { target: { value: 'days' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText(/Saved\. Links switched on from now on work for 3 days/)).toBeTruthy();
    expect(api.callsTo('PATCH', '/ui/v1/settings').map((c) => c.body)).toEqual([{ link_ttl_seconds: 259_200 }]);
    // The asset view's "for 24 hours" sentence comes from /ui/v1/info: read it again.
    await waitFor(() => expect(api.callsTo('GET', '/ui/v1/info').length).toBeGreaterThan(infoCalls));
  });

  it('refuses a lifetime out of range before asking the server', async () => {
    const api = backend();
    await openSettings();
    fireEvent.input(screen.getByRole('spinbutton', { name: 'Link lifetime' }), { target: { value: '400' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Unit' }), { target: { value: 'days' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a lifetime between 1 minute and 365 days.');
    expect(api.callsTo('PATCH', '/ui/v1/settings')).toHaveLength(0);
  });

  it('moves links to another address, and says plainly when the server cannot', async () => {
    const api = backend(base, ['0.0.0.0']);
    await openSettings();
    fireEvent.click(screen.getByRole('radio', { name: /Every network/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Could not share links there: Listen tcp 0.0.0.0:8911: bind: address already in use.');
    expect((screen.getByRole('radio', { name: /This computer only/ }) as HTMLInputElement).checked).toBe(false);

    fireEvent.click(screen.getByRole('radio', { name: /Local network/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('Done. Links now start with http://192.168.1.20:8911')).toBeTruthy();
    expect(api.callsTo('PATCH', '/ui/v1/settings').map((c) => c.body)).toEqual([{ share_host: '0.0.0.0' }, { share_host: '192.168.1.20' }]);
    expect(screen.getByRole('radio', { name: /Local network.*in use/ })).toBeTruthy();
  });

  it('shows what the command line fixed as read-only, with how to change it', async () => {
    backend({ ...base, from_command_line: { link_ttl_seconds: true, share_host: true } });
    await openSettings();
    expect(screen.queryByRole('spinbutton', { name: 'Link lifetime' })).toBeNull();
    expect(screen.queryByRole('radio', { name: /This computer only|Local network|Every network/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.getByText('24 hours')).toBeTruthy();
    const notes = screen.getAllByText(/Set by/).map((p) => p.textContent);
    expect(notes.some((t) => t?.includes('--link-ttl'))).toBe(true);
    expect(notes.some((t) => t?.includes('--share-listen'))).toBe(true);
    expect(screen.getAllByText(/Start it without that option/)).toHaveLength(2);
  });

  it('shows the access token only after it is asked for, with a curl example', async () => {
    const api = backend();
    await openSettings();
    expect(screen.queryByText(/s3cr3t-value/)).toBeNull();
    expect(api.callsTo('GET', '/ui/v1/settings/access-token')).toHaveLength(0);
    expect(screen.getByText('tok_123')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Show access token' }));
    const secret = (await screen.findByRole('textbox', { name: 'Token secret' })) as HTMLInputElement;
    expect(secret.value).toBe('s3cr3t-value');
    expect(api.callsTo('GET', '/ui/v1/settings/access-token')).toHaveLength(1);
    const reveal = screen.getByTestId('access-token');
    expect(reveal.textContent).toContain("curl -u 'tok_123:s3cr3t-value' http://127.0.0.1:8910/video/v1/assets");
    expect(within(reveal).getAllByRole('button', { name: /^Copy command/ })).toHaveLength(2);

    fireEvent.click(screen.getByRole('button', { name: 'Hide access token' }));
    expect(screen.queryByText(/s3cr3t-value/)).toBeNull();
    expect(screen.queryByRole('textbox', { name: 'Token secret' })).toBeNull();
  });

  it('says so when the settings cannot be read, and tries again', async () => {
    let fail = true;
    mockApi({
      ...infoRoute,
      'GET /video/v1/assets': listOf([]),
      'GET /ui/v1/settings': () => (fail ? apiError(500, 'failed_request', 'internal error: database is locked') : { body: { data: base } }),
    });
    window.location.hash = '#/settings';
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load the settings: internal error: database is locked');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Download links' })).toBeTruthy();
  });

  it('without ffmpeg: a banner in the library says what is missing; a folder set here is saved and the problem goes', async () => {
    const problem = 'ffmpeg was not found: Reelvault needs ffmpeg 5.1 or newer; install it (for example `sudo apt install ffmpeg`)';
    const withProblem = { 'GET /ui/v1/info': { body: { data: { ...infoRoute['GET /ui/v1/info'].body.data, ffmpeg_problem: problem } } } };
    const api = backend({ ...base, ffmpeg_in_use: 'ffmpeg', ffmpeg_problem: problem }, [], withProblem);
    window.location.hash = '#/';
    render(<App />);
    const banner = await screen.findByTestId('ffmpeg-banner');
    expect(banner.textContent).toContain('sudo apt install ffmpeg');
    expect(banner.textContent).toContain('wait until it is found');

    window.location.hash = '#/settings';
    await screen.findByRole('heading', { name: 'ffmpeg' });
    expect(screen.getAllByText(problem).length).toBeGreaterThan(0);
    fireEvent.input(screen.getByRole('textbox', { name: 'ffmpeg folder' }), { target: { value: '/opt/ffmpeg/bin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use this folder' }));
    expect(await screen.findByText('/opt/ffmpeg/bin/ffmpeg')).toBeTruthy();
    expect(api.callsTo('PATCH', '/ui/v1/settings').map((c) => c.body)).toEqual([{ ffmpeg_path: '/opt/ffmpeg/bin' }]);
  });
});


describe('RTMP address setting', () => {
  it('moves the RTMP listener to the chosen network, and says why when it cannot', async () => {
    let current: Settings = { ...base, rtmp_listen: '127.0.0.1:1935' };
    const api = mockApi({
      'GET /ui/v1/settings': () => ({ body: { data: current } }),
      'PATCH /ui/v1/settings': (call) => {
        const { rtmp_host } = call.body as { rtmp_host: string };
        if (rtmp_host === '0.0.0.0') return apiError(400, 'invalid_parameters', 'listen tcp 0.0.0.0:1935: bind: address already in use');
        current = { ...current, rtmp_listen: `${rtmp_host}:1935`, rtmp_url: `rtmp://${rtmp_host}:1935/live` };
        return { body: { data: current } };
      },
    });
    const moved = vi.fn();
    render(<RtmpAddressSetting onMoved={moved} />);
    const apply = await screen.findByRole('button', { name: 'Apply' });
    expect((apply as HTMLButtonElement).disabled).toBe(true); // nothing new chosen yet
    expect(screen.getByRole('radio', { name: /This computer only.*in use/ })).toBeTruthy();

    fireEvent.click(screen.getByRole('radio', { name: /Every network/ }));
    fireEvent.click(apply);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not receive streams there: Listen tcp 0.0.0.0:1935: bind: address already in use.');
    expect(moved).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('radio', { name: /Local network/ }));
    fireEvent.click(apply);
    await screen.findByRole('radio', { name: /Local network.*in use/ });
    expect(screen.queryByRole('alert')).toBeNull(); // the old error goes with a good save
    expect((screen.getByRole('radio', { name: /Local network/ }) as HTMLInputElement).checked).toBe(true);
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('textbox', { name: /Server for cameras on the network/ })).toBeTruthy();
    expect(moved).toHaveBeenCalledTimes(1);
    expect(api.callsTo('PATCH', '/ui/v1/settings').map((c) => c.body)).toEqual([{ rtmp_host: '0.0.0.0' }, { rtmp_host: '192.168.1.20' }]);
  });

  it('says how to open a fixed loopback address to cameras, not to choose one that is not shown', async () => {
    const fixed: Settings = {
      ...base,
      rtmp_listen: '127.0.0.1:19350',
      rtmp_url: 'rtmp://127.0.0.1:19350/app',
      from_command_line: { ...base.from_command_line, rtmp_host: true },
    };
    mockApi({ 'GET /ui/v1/settings': { body: { data: fixed } } });
    render(<RtmpAddressSetting />);
    const hint = await screen.findByText(/Only an encoder on this computer/);
    expect(screen.queryByRole('radio')).toBeNull();
    expect(hint.textContent).not.toContain('choose a local network above');
    expect(hint.textContent).toContain('--rtmp-listen 0.0.0.0:19350');
  });
});
