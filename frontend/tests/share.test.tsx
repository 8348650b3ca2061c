import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { ShareDownload, ShareLink } from '../src/api/shareLinks';
import { ShareDialog } from '../src/components/ShareDialog';
import { infoRoute, listOf, makeAsset, mockApi } from './mockApi';

const BASE = 'http://192.168.1.20:8911';

function makeLink(overrides: Partial<ShareLink> = {}): ShareLink {
  return {
    id: 'l1',
    url: `${BASE}/s/tok1`,
    label: 'for the colourist',
    asset_ids: ['a1'],
    expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    max_downloads: null,
    downloads: 0,
    has_password: false,
    status: 'active',
    files: [{ asset_id: 'a1', name: 'Interview A.mp4', kind: 'master', size: 123_456_789, sha256: 'ab12', url: `${BASE}/s/tok1/f/a1/master/Interview%20A.mp4` }],
    ...overrides,
  };
}

const settings = (shareListen: string) => ({
  'GET /ui/v1/settings': {
    body: {
      data: {
        data_dir: '/data',
        link_ttl_seconds: 86400,
        share_listen: shareListen,
        share_base_url: BASE,
        public_url_fixed: false,
        share_options: [],
        api_url: 'http://127.0.0.1:8910',
        token_id: 't',
      },
    },
  },
});

describe('Share dialog', () => {
  it('sends the label, files, expiry, limit and password, then shows the link with a QR code', async () => {
    const api = mockApi({
      ...settings('0.0.0.0:8911'),
      'POST /reelvault/v1/share-links': (call) => ({
        status: 201,
        body: { data: makeLink({ label: 'for the client', max_downloads: 2, has_password: true, expires_at: null, asset_ids: (call.body as { asset_ids: string[] }).asset_ids }) },
      }),
    });
    const onCreated = vi.fn();
    render(<ShareDialog assetIds={['a1', 'a2']} onClose={() => undefined} onCreated={onCreated} />);

    const dialog = screen.getByRole('dialog', { name: 'Share 2 videos' });
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Who is it for?'));
    fireEvent.input(within(dialog).getByLabelText('Who is it for?'), { target: { value: '  for the client ' } });
    fireEvent.change(within(dialog).getByLabelText('Expires'), { target: { value: 'never' } });
    expect(await within(dialog).findByText('The link keeps working until you revoke it.')).toBeTruthy();
    fireEvent.input(within(dialog).getByLabelText('Download limit'), { target: { value: '2' } });
    fireEvent.input(within(dialog).getByLabelText('Password (optional)'), { target: { value: 's3cret' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create link' }));

    await screen.findByRole('dialog', { name: 'Link ready' });
    expect(api.callsTo('POST', '/reelvault/v1/share-links')[0]?.body).toEqual({
      asset_ids: ['a1', 'a2'],
      label: 'for the client',
      files: ['master'],
      max_downloads: 2,
      password: 's3cret',
      expires_in: 'never',
    });
    expect((screen.getByLabelText('Share link') as HTMLInputElement).value).toBe(`${BASE}/s/tok1`);
    expect(screen.getByRole('img', { name: 'QR code of the share link' }).getAttribute('data-qr-text')).toBe(`${BASE}/s/tok1`);
    expect(screen.getByText(/never expires · 2 downloads at most · asks for a password/)).toBeTruthy();
    expect(onCreated).toHaveBeenCalledOnce();
    // Listening on every interface: no warning.
    await waitFor(() => expect(api.callsTo('GET', '/ui/v1/settings')).toHaveLength(1));
    expect(screen.queryByText(/only answered on this computer/)).toBeNull();
  });

  it('warns when the share listener is on loopback only but the link points elsewhere', async () => {
    mockApi({ ...settings('127.0.0.1:8911'), 'POST /reelvault/v1/share-links': { status: 201, body: { data: makeLink() } } });
    render(<ShareDialog assetIds={['a1']} titles={['Interview A']} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect(await screen.findByText(/only answered on this computer \(127\.0\.0\.1:8911\), but this link points to 192\.168\.1\.20/)).toBeTruthy();
  });

  it('refuses a limit that is not a whole number and shows the server’s reason in words', async () => {
    const api = mockApi({
      'POST /reelvault/v1/share-links': { status: 400, body: { error: { type: 'invalid_parameters', messages: ['password must be at most 128 bytes'] } } },
    });
    render(<ShareDialog assetIds={['a1']} titles={['Interview A']} onClose={() => undefined} />);
    screen.getByRole('dialog', { name: 'Share “Interview A”' });
    fireEvent.input(screen.getByLabelText('Download limit'), { target: { value: '1.5' } });
    expect(screen.getByText('The limit is a whole number of downloads, 1 or more.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Create link' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('Download limit'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Password must be at most 128 bytes.');
    expect(api.callsTo('POST', '/reelvault/v1/share-links')[0]?.body).toEqual({ asset_ids: ['a1'], label: '', files: ['master'], expires_in: 7 * 86400 });
  });

  it('keeps focus inside, closes on Escape and gives focus back to what opened it', async () => {
    mockApi({});
    const opener = document.createElement('button');
    document.body.appendChild(opener);
    opener.focus();
    const onClose = vi.fn();
    const { unmount } = render(<ShareDialog assetIds={['a1']} onClose={onClose} />);
    const dialog = screen.getByRole('dialog');
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    cancel.focus();
    fireEvent.keyDown(cancel, { key: 'Tab' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(cancel, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});

describe('Share links in the asset panel', () => {
  it('lists the video’s links with downloads, and revokes and extends one', async () => {
    let links = [
      makeLink({ downloads: 2, max_downloads: 3, last_download_at: '2026-03-01T10:05:00Z' }),
      makeLink({ id: 'l2', label: 'for the mixer', url: `${BASE}/s/tok2` }),
    ];
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': listOf([makeAsset()]),
      'GET /video/v1/assets/a1': { body: { data: makeAsset() } },
      'GET /reelvault/v1/share-links': () => ({ body: { data: links } }),
      'DELETE /reelvault/v1/share-links/l2': () => {
        links = links.map((l) => (l.id === 'l2' ? { ...l, status: 'revoked' } : l));
        return { status: 204 };
      },
      'GET /reelvault/v1/share-links/l2': () => ({ body: { data: links[1] } }),
      'PATCH /reelvault/v1/share-links/l1': () => ({ body: { data: { ...links[0]!, expires_at: null } } }),
    });
    window.location.hash = '#/assets/a1';
    render(<App />);

    const list = await screen.findByRole('list', { name: 'Share links of this video' });
    expect(api.callsTo('GET', '/reelvault/v1/share-links')[0]?.query.get('asset_id')).toBe('a1');
    const colourist = within(list).getByRole('listitem', { name: 'for the colourist' });
    expect(within(colourist).getByText(/2 downloads of 3 · last .*· expires in 6 d 23 h/)).toBeTruthy();
    expect(within(colourist).getByText('Active')).toBeTruthy();

    const mixer = within(list).getByRole('listitem', { name: 'for the mixer' });
    fireEvent.click(within(mixer).getByRole('button', { name: 'Revoke…' }));
    expect(within(mixer).getByText(/your other links keep working/)).toBeTruthy();
    fireEvent.click(within(mixer).getByRole('button', { name: 'Revoke' }));
    await within(mixer).findByText('Revoked');
    expect(api.callsTo('DELETE', '/reelvault/v1/share-links/l2')).toHaveLength(1);
    expect(within(mixer).queryByRole('button', { name: /Copy/ })).toBeNull();
    expect(within(colourist).getByText('Active')).toBeTruthy();

    fireEvent.click(within(colourist).getByRole('button', { name: 'Extend…' }));
    await act(async () => {
      fireEvent.change(within(colourist).getByLabelText('Expires'), { target: { value: 'never' } });
    });
    fireEvent.click(within(colourist).getByRole('button', { name: 'Save' }));
    await within(colourist).findByText(/never expires/);
    expect(api.callsTo('PATCH', '/reelvault/v1/share-links/l1')[0]?.body).toEqual({ expires_in: 'never' });
  });

  it("edits a link's label and download limit in place", async () => {
    let link = makeLink({ id: 'l1', label: 'for the colourist', max_downloads: 3, downloads: 2 });
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': listOf([makeAsset()]),
      'GET /video/v1/assets/a1': { body: { data: makeAsset() } },
      'GET /reelvault/v1/share-links': () => ({ body: { data: [link] } }),
      'PATCH /reelvault/v1/share-links/l1': (call) => {
        const body = call.body as { label?: string; max_downloads?: number };
        link = { ...link, ...(body.label !== undefined && { label: body.label }), ...(body.max_downloads !== undefined && { max_downloads: body.max_downloads || null }) };
        return { body: { data: link } };
      },
    });
    window.location.hash = '#/assets/a1';
    render(<App />);
    const list = await screen.findByRole('list', { name: 'Share links of this video' });
    let row = within(list).getByRole('listitem', { name: 'for the colourist' });
    fireEvent.click(within(row).getByRole('button', { name: 'Edit…' }));
    const form = within(row).getByRole('form', { name: 'Edit the link' });
    expect((within(form).getByLabelText('Download limit') as HTMLInputElement).value).toBe('3');

    fireEvent.input(within(form).getByLabelText('Download limit'), { target: { value: '2.5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toMatch(/whole number of downloads/);
    expect(api.callsTo('PATCH', '/reelvault/v1/share-links/l1')).toHaveLength(0);

    fireEvent.input(within(form).getByLabelText('Label'), { target: { value: 'for the grader' } });
    fireEvent.input(within(form).getByLabelText('Download limit'), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    row = await within(list).findByRole('listitem', { name: 'for the grader' });
    expect(api.callsTo('PATCH', '/reelvault/v1/share-links/l1').map((c) => c.body)).toEqual([{ label: 'for the grader', max_downloads: 0 }]);
    expect(within(row).getByText(/^2 downloads · /)).toBeTruthy();
    expect(within(row).queryByRole('form', { name: 'Edit the link' })).toBeNull();
  });

  it('opens the Share dialog from the panel and shows the new link in the list', async () => {
    mockApi({
      ...infoRoute,
      ...settings('0.0.0.0:8911'),
      'GET /video/v1/assets': listOf([makeAsset()]),
      'GET /video/v1/assets/a1': { body: { data: makeAsset() } },
      'GET /reelvault/v1/share-links': { body: { data: [] } },
      'POST /reelvault/v1/share-links': { status: 201, body: { data: makeLink({ label: 'for the client' }) } },
    });
    window.location.hash = '#/assets/a1';
    render(<App />);
    const share = await screen.findByRole('button', { name: 'Share…' });
    // The panel first moves focus to its title; then the user reaches the button.
    await waitFor(() => expect(document.activeElement?.id).toBe('detail-title'));
    share.focus();
    fireEvent.click(share);
    const dialog = screen.getByRole('dialog', { name: 'Share “Interview A”' });
    fireEvent.keyDown(within(dialog).getByLabelText('Who is it for?'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    // Escape closed the dialog only, not the asset panel.
    expect(window.location.hash).toBe('#/assets/a1');
    expect(document.activeElement).toBe(share);

    fireEvent.click(share);
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    await screen.findByRole('dialog', { name: 'Link ready' });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    const list = await screen.findByRole('list', { name: 'Share links of this video' });
    expect(within(list).getByRole('listitem', { name: 'for the client' })).toBeTruthy();
  });
});

describe('Shared page', () => {
  it('lists live links across the library, with each link’s download log', async () => {
    const downloads: ShareDownload[] = [
      { id: 2, started_at: '2026-03-01T10:05:00Z', at: '2026-03-01T10:06:00Z', client_address: '192.168.1.31', user_agent: 'curl/7.88', asset_id: 'a1', file: 'master', bytes_sent: 123_456_789, size: 123_456_789, complete: true },
      { id: 1, started_at: '2026-03-01T09:00:00Z', at: '2026-03-01T09:01:00Z', client_address: '192.168.1.40', user_agent: 'Safari', asset_id: 'a1', file: 'master', bytes_sent: 1_000_000, size: 123_456_789, complete: false },
    ];
    const api = mockApi({
      ...infoRoute,
      'GET /reelvault/v1/share-links': {
        body: {
          data: [
            makeLink({ downloads: 1 }),
            makeLink({ id: 'l2', label: 'for the mixer', status: 'revoked' }),
            makeLink({ id: 'l3', label: 'for the client', status: 'expired', expires_at: '2026-01-01T00:00:00Z' }),
          ],
        },
      },
      'GET /reelvault/v1/share-links/l1/downloads': { body: { data: downloads } },
    });
    window.location.hash = '#/shared';
    render(<App />);

    expect((await screen.findByRole('link', { name: 'Shared' })).getAttribute('aria-current')).toBe('page');
    const list = await screen.findByRole('list', { name: 'Share links' });
    expect(api.callsTo('GET', '/reelvault/v1/share-links')[0]?.query.get('asset_id')).toBeNull();
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByText('1 live link')).toBeTruthy();
    const row = within(list).getByRole('listitem', { name: 'for the colourist' });
    expect(within(row).getByRole('link', { name: 'Interview A' }).getAttribute('href')).toBe('#/assets/a1');

    fireEvent.click(within(row).getByRole('button', { name: 'Downloads' }));
    const table = await within(row).findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText('192.168.1.31')).toBeTruthy();
    expect(within(rows[1]!).getByText('Interview A.mp4')).toBeTruthy();
    expect(within(rows[1]!).getByText('123 MB of 123 MB')).toBeTruthy();
    expect(within(rows[1]!).getByText('Complete')).toBeTruthy();
    expect(within(rows[2]!).getByText('1 MB of 123 MB')).toBeTruthy();
    expect(within(rows[2]!).getByText('Partial')).toBeTruthy();

    fireEvent.click(screen.getByLabelText(/Show 2 ended links/));
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
  });

  it('says when nothing is shared', async () => {
    mockApi({ ...infoRoute, 'GET /reelvault/v1/share-links': { body: { data: [] } } });
    window.location.hash = '#/shared';
    render(<App />);
    expect(await screen.findByText(/Nothing is shared yet\./)).toBeTruthy();
  });
});
