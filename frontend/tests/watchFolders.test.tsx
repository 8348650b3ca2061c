import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/App';
import type { Settings } from '../src/api/settings';
import type { WatchFolder, WatchFolderSettings } from '../src/api/watchFolders';
import { apiError, infoRoute, listOf, mockApi } from './mockApi';

const settings: Settings = {
  data_dir: '/home/me/.local/share/reelvault',
  link_ttl_seconds: 86_400,
  share_listen: '127.0.0.1:8911',
  share_base_url: 'http://127.0.0.1:8911',
  public_url_fixed: false,
  share_options: [{ host: '127.0.0.1', label: 'This computer only' }],
  api_url: 'http://127.0.0.1:8910',
  token_id: 'tok_123',
  ffmpeg_path: '',
  ffmpeg_in_use: 'ffmpeg',
  notifications: false,
  notifications_available: false,
  share_base: 'address',
  share_name: '',
};

function makeFolder(overrides: Partial<WatchFolder> = {}): WatchFolder {
  return {
    id: 'wf1',
    path: '/home/me/Incoming',
    max_resolution_tier: '1080p',
    master_access: 'none',
    video_quality: 'plus',
    after: 'leave',
    done_path: '/home/me/Incoming/done',
    from_command_line: false,
    created_at: '1764000000',
    state: 'watching',
    recent_files: [],
    ...overrides,
  };
}

/** A stateful fake of /ui/v1/watch-folders: POST checks the path like the server, PATCH merges. */
function backend(initial: WatchFolder[] = []) {
  const folders = [...initial];
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': listOf([]),
    'GET /ui/v1/settings': { body: { data: settings } },
    'GET /ui/v1/watch-folders': () => ({ body: { data: folders, next_cursor: null } }),
    'POST /ui/v1/watch-folders': (call) => {
      const body = call.body as WatchFolderSettings;
      if (body.path === '/nope') return apiError(400, 'invalid_parameters', 'path /nope does not exist');
      const folder = makeFolder({ id: `wf${folders.length + 1}`, state: 'starting', ...body } as Partial<WatchFolder>);
      folders.push(folder);
      return { status: 201, body: { data: folder } };
    },
    'PATCH /ui/v1/watch-folders/wf1': (call) => {
      const body = call.body as WatchFolderSettings;
      const folder = folders.find((f) => f.id === 'wf1')!;
      Object.assign(folder, body);
      if (body.after === 'move') folder.done_path = `${folder.path}/${body.done_path || 'done'}`;
      return { body: { data: folder } };
    },
    'DELETE /ui/v1/watch-folders/wf1': () => {
      folders.splice(folders.findIndex((f) => f.id === 'wf1'), 1);
      return { status: 204 };
    },
  });
  return { api, folders };
}

async function openSettings() {
  window.location.hash = '#/settings';
  render(<App />);
  await screen.findByRole('heading', { name: 'Watch folders' });
}

const folderCard = (path = '/home/me/Incoming') => screen.findByRole('listitem', { name: path });

describe('watch folders', () => {
  it('shows each folder’s state, and its recent files with what became of them', async () => {
    backend([
      makeFolder({
        recent_files: [
          { path: '/home/me/Incoming/B.mov', size: 5_000_000, outcome: 'settling', note: 'waiting for the file to stop changing', at: '1764000100' },
          { path: '/home/me/Incoming/A.mov', size: 12_000_000, outcome: 'ingested', asset_id: 'a1', at: '1764000050' },
          { path: '/home/me/Incoming/notes.txt', size: 120, outcome: 'skipped', note: 'not a video file', at: '1764000040' },
        ],
      }),
      makeFolder({ id: 'wf2', path: '/mnt/nas/footage', state: 'polling', message: 'a network mount (nfs4) sends no change events' }),
      makeFolder({ id: 'wf3', path: '/media/card', state: 'error', message: '/media/card does not exist', from_command_line: true }),
      makeFolder({ id: 'wf4', path: '/media/drone', max_resolution_tier: '2160p', video_quality: 'premium' }),
    ]);
    await openSettings();

    // The settings line speaks an editor's words, not Mux's "plus" / "2160p".
    const drone = await folderCard('/media/drone');
    expect(drone.textContent).toContain('masters up to 4K · best quality ·');
    expect(drone.textContent).not.toMatch(/premium|2160p/);
    const watching = await folderCard();
    expect(watching.textContent).toContain('masters up to 1080p · balanced quality ·');
    expect(within(watching).getByTestId('watch-state').textContent).toBe('Watching');
    const files = within(watching).getAllByTestId('watched-file');
    expect(files.map((f) => f.textContent)).toEqual([
      expect.stringContaining('B.movWaiting for the copy to finish5 MB · Waiting for the file to stop changing.'),
      expect.stringContaining('A.movAdded12 MB'),
      expect.stringContaining('notes.txtSkipped120 B · Not a video file.'),
    ]);
    expect(within(files[1]!).getByRole('link', { name: 'A.mov' }).getAttribute('href')).toBe('#/assets/a1');

    const polling = await folderCard('/mnt/nas/footage');
    expect(within(polling).getByTestId('watch-state').textContent).toBe('Polling');
    expect(within(polling).getByText(/A network mount \(nfs4\) sends no change events\./)).toBeTruthy();

    const broken = await folderCard('/media/card');
    expect(within(broken).getByTestId('watch-state').textContent).toBe('Error');
    expect(within(broken).getByText(/\/media\/card does not exist\. Reelvault keeps trying/)).toBeTruthy();
    expect(within(broken).getByText(/Added with/)).toBeTruthy();
  });

  it('adds a folder with its settings, and shows why a path is refused', async () => {
    const { api } = backend();
    await openSettings();
    expect(await screen.findByText('No folder is watched yet.')).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Add a watch folder' });
    const path = within(form).getByRole('textbox', { name: 'Folder path' }) as HTMLInputElement;

    fireEvent.input(path, { target: { value: '/nope' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Watch folder' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('path /nope does not exist');
    expect(path.value).toBe('/nope');

    fireEvent.input(path, { target: { value: ' /home/me/Camera ' } });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Master size' }), { target: { value: '2160p' } });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Quality' }), { target: { value: 'premium' } });
    fireEvent.change(within(form).getByRole('combobox', { name: 'When its master is ready' }), { target: { value: 'move' } });
    fireEvent.input(await within(form).findByRole('textbox', { name: 'Done folder' }), { target: { value: 'archived' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Make a download link for each video' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Watch folder' }));

    const card = await folderCard('/home/me/Camera');
    expect(within(card).getByTestId('watch-state').textContent).toBe('Starting');
    expect(api.callsTo('POST', '/ui/v1/watch-folders').map((c) => c.body)[1]).toEqual({
      path: '/home/me/Camera',
      max_resolution_tier: '2160p',
      video_quality: 'premium',
      master_access: 'temporary',
      after: 'move',
      done_path: 'archived',
    });
    expect(path.value).toBe('');
  });

  it('edits a folder’s settings without resending its path', async () => {
    const { api } = backend([makeFolder()]);
    await openSettings();
    const card = await folderCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = within(card).getByRole('form', { name: 'Edit /home/me/Incoming' });
    fireEvent.change(within(form).getByRole('combobox', { name: 'When its master is ready' }), { target: { value: 'move' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(within(card).queryByRole('form')).toBeNull());
    expect(api.callsTo('PATCH', '/ui/v1/watch-folders/wf1').map((c) => c.body)).toEqual([
      { max_resolution_tier: '1080p', video_quality: 'plus', master_access: 'none', after: 'move', done_path: '' },
    ]);
    expect(within(card).getByText(/files move to \/home\/me\/Incoming\/done when done/)).toBeTruthy();
  });

  it('removes a folder after asking', async () => {
    const { api } = backend([makeFolder()]);
    await openSettings();
    const card = await folderCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Remove…' }));
    expect(within(card).getByText(/Its files stay where they are/)).toBeTruthy();
    expect(api.callsTo('DELETE', '/ui/v1/watch-folders/wf1')).toHaveLength(0);
    fireEvent.click(within(card).getByRole('button', { name: 'Stop watching' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: '/home/me/Incoming' })).toBeNull());
    expect(api.callsTo('DELETE', '/ui/v1/watch-folders/wf1')).toHaveLength(1);
    expect(await screen.findByText('Stopped watching /home/me/Incoming.')).toBeTruthy();
  });

  it('falls back to the --watch note when this Reelvault has no watch folders API', async () => {
    mockApi({ ...infoRoute, 'GET /video/v1/assets': listOf([]), 'GET /ui/v1/settings': { body: { data: settings } } });
    await openSettings();
    expect(await screen.findByText(/Start it with/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
