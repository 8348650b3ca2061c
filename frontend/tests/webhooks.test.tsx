import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Delivery, DeliveryAttempt, Webhook } from '../src/api/types';
import { apiError, infoRoute, listOf, mockApi } from './mockApi';

const SECRET = 'q3Jx-secret-shown-once-0123456789abcdefghijkl';
const ADDRESS = 'https://hooks.example.com/reelvault';

function makeWebhook(overrides: Partial<Webhook> = {}): Webhook {
  return { id: 'w1', address: ADDRESS, created_at: '2026-03-01T10:00:00.000000Z', enabled: true, ...overrides };
}

function makeAttempt(overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return {
    id: 'at1',
    created_at: '2026-03-01T10:05:00Z',
    response_status_code: 200,
    response_headers: {},
    response_body: 'ok',
    duration_ms: 12,
    ...overrides,
  };
}

function makeDelivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    id: 'd1',
    webhook_id: 'w1',
    event_id: 'e1',
    event_type: 'video.asset.ready',
    object: { type: 'asset', id: 'a1b2c3d4-0000-4000-8000-000000000001' },
    state: 'delivered',
    attempt_count: 1,
    created_at: '2026-03-01T10:05:00Z',
    next_attempt_at: null,
    first_attempt_at: '2026-03-01T10:05:00Z',
    last_attempt_at: '2026-03-01T10:05:00Z',
    last_status_code: 200,
    attempts: [makeAttempt()],
    ...overrides,
  };
}

/**
 * A stateful fake of the webhook API: create answers with the secret (the list never has it),
 * PATCH changes `enabled`, test queues a pending delivery, resend makes one pending again.
 */
function backend(initial: { webhooks?: Webhook[]; deliveries?: Delivery[] } = {}) {
  const webhooks: Webhook[] = [...(initial.webhooks ?? [])];
  const deliveries: Delivery[] = [...(initial.deliveries ?? [])];
  let nextId = 1;
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': listOf([]),
    'GET /system/v1/webhooks': () => ({ body: { data: webhooks, next_cursor: null } }),
    'POST /system/v1/webhooks': (call) => {
      const address = (call.body as { address: string }).address;
      if (!/^https?:\/\/[^/]+/.test(address)) {
        return apiError(400, 'invalid_parameters', `address "${address}" must be an absolute http or https URL`);
      }
      const created = makeWebhook({ id: `new${nextId++}`, address });
      webhooks.unshift(created);
      return { status: 201, body: { data: { ...created, signing_secret: SECRET } } };
    },
    'PATCH /system/v1/webhooks/w1': (call) => {
      const hook = webhooks.find((w) => w.id === 'w1')!;
      hook.enabled = (call.body as { enabled: boolean }).enabled;
      return { body: { data: hook } };
    },
    'DELETE /system/v1/webhooks/w1': () => {
      webhooks.splice(
        webhooks.findIndex((w) => w.id === 'w1'),
        1,
      );
      return { status: 204 };
    },
    'POST /ui/v1/webhooks/w1/rotate-secret': () => ({ body: { data: { ...webhooks[0], signing_secret: 'rotated-secret-xyz' } } }),
    'GET /ui/v1/webhooks/w1/deliveries': () => ({ body: { data: deliveries, next_cursor: null } }),
    'GET /ui/v1/webhooks/new1/deliveries': { body: { data: [], next_cursor: null } },
    'POST /ui/v1/webhooks/w1/test': () => {
      const test = makeDelivery({
        id: `t${nextId++}`,
        event_type: 'webhook.test',
        object: { type: 'webhook', id: 'w1' },
        state: 'pending',
        attempt_count: 0,
        last_status_code: null,
        attempts: [],
      });
      deliveries.unshift(test);
      return { status: 202, body: { data: test } };
    },
    'POST /ui/v1/deliveries/d1/resend': () => {
      const d = deliveries.find((x) => x.id === 'd1')!;
      d.state = 'pending';
      d.next_attempt_at = '2026-03-01T11:00:00Z';
      return { status: 202, body: { data: d } };
    },
  });
  return { api, webhooks, deliveries };
}

function openWebhooks() {
  window.location.hash = '#/webhooks';
  render(<App />);
}

const endpointCard = async (address = ADDRESS) => screen.findByRole('listitem', { name: address });

describe('webhooks page', () => {
  it('is in the navigation and explains what webhooks are for when there are none', async () => {
    backend();
    render(<App />);
    const link = await screen.findByRole('link', { name: 'Webhooks' });
    expect(link.getAttribute('href')).toBe('#/webhooks');
    fireEvent.click(link);
    expect(await screen.findByRole('heading', { name: 'No webhooks yet' })).toBeTruthy();
    expect(screen.getByText(/Reelvault sends a signed JSON event to each URL/)).toBeTruthy();
    expect(link.getAttribute('aria-current')).toBe('page');
  });

  it('shows the signing secret once after create, with a copy button and a warning', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { api } = backend();
    openWebhooks();

    fireEvent.input(await screen.findByRole('textbox', { name: 'Endpoint URL' }), { target: { value: ` ${ADDRESS} ` } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));

    const secretField = (await screen.findByRole('textbox', { name: 'Signing secret' })) as HTMLInputElement;
    expect(secretField.value).toBe(SECRET);
    expect(api.callsTo('POST', '/system/v1/webhooks')[0]?.body).toEqual({ address: ADDRESS });
    expect(screen.getByText('Copy it now: you will not see this again.')).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Endpoint URL' }) as HTMLInputElement).value).toBe('');

    const card = await endpointCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Copy' }));
    await within(card).findByRole('button', { name: 'Copied' });
    expect(writeText).toHaveBeenCalledWith(SECRET);

    fireEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    expect(screen.queryByRole('textbox', { name: 'Signing secret' })).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);

    // Leaving the page and coming back reloads the list, which never carries the secret.
    window.location.hash = '#/';
    await screen.findByRole('heading', { name: 'Library' });
    window.location.hash = '#/webhooks';
    await endpointCard();
    expect(api.callsTo('GET', '/system/v1/webhooks').length).toBeGreaterThanOrEqual(2);
    expect(document.body.textContent).not.toContain(SECRET);
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  it('shows the API message for an address it refuses and keeps the text for fixing', async () => {
    backend();
    openWebhooks();
    const input = (await screen.findByRole('textbox', { name: 'Endpoint URL' })) as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'ftp://example.com/x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect((await screen.findByRole('alert')).textContent).toBe('address "ftp://example.com/x" must be an absolute http or https URL');
    expect(input.value).toBe('ftp://example.com/x');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('textbox', { name: 'Signing secret' })).toBeNull();
  });

  it('the enabled switch PATCHes the endpoint; a paused endpoint cannot be tested', async () => {
    const { api } = backend({ webhooks: [makeWebhook()] });
    openWebhooks();
    const card = await endpointCard();
    const toggle = within(card).getByRole('switch', { name: 'Enabled' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');

    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
    expect(api.callsTo('PATCH', '/system/v1/webhooks/w1').map((c) => c.body)).toEqual([{ enabled: false }]);
    expect(within(card).getByText(/Paused: new events are not sent here/)).toBeTruthy();
    expect((within(card).getByRole('button', { name: 'Send test event' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    expect(api.callsTo('PATCH', '/system/v1/webhooks/w1').map((c) => c.body)).toEqual([{ enabled: false }, { enabled: true }]);
  });

  it('Send test event POSTs and the test delivery shows up in the log', async () => {
    const { api } = backend({ webhooks: [makeWebhook()] });
    openWebhooks();
    const card = await endpointCard();
    expect(await within(card).findByText(/Nothing sent yet/)).toBeTruthy();

    fireEvent.click(within(card).getByRole('button', { name: 'Send test event' }));
    const row = await within(card).findByTestId('delivery');
    expect(api.callsTo('POST', '/ui/v1/webhooks/w1/test')).toHaveLength(1);
    expect(within(row).getByText('webhook.test')).toBeTruthy();
    expect(within(row).getByText('Pending')).toBeTruthy();
    expect(within(row).getByText('0 attempts')).toBeTruthy();
    expect(within(row).getByText('this endpoint')).toBeTruthy();
    expect(await screen.findByText('Test event queued. Watch the delivery log for the answer.')).toBeTruthy();
  });

  it('the log lists deliveries newest first and expands to every attempt', async () => {
    const retried = makeDelivery({
      id: 'd2',
      event_type: 'video.asset.master.ready',
      attempt_count: 3,
      attempts: [
        makeAttempt({ id: 'x1', response_status_code: 500, response_body: 'database is down', duration_ms: 40 }),
        makeAttempt({ id: 'x2', response_status_code: null, response_body: '', duration_ms: 5000, error: 'no answer within 5 s' }),
        makeAttempt({ id: 'x3', response_status_code: 200, response_body: '{"ok":true}', duration_ms: 1530 }),
      ],
    });
    const failed = makeDelivery({
      id: 'd1',
      event_type: 'video.asset.created',
      state: 'failed',
      attempt_count: 1,
      last_status_code: null,
      attempts: [makeAttempt({ response_status_code: null, error: 'connection refused', response_body: '', duration_ms: 1 })],
    });
    backend({ webhooks: [makeWebhook()], deliveries: [retried, failed] });
    openWebhooks();

    const rows = await within(await endpointCard()).findAllByTestId('delivery');
    expect(rows.map((r) => r.querySelector('.event-type')?.textContent)).toEqual(['video.asset.master.ready', 'video.asset.created']);
    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(within(first).getByText('Delivered')).toBeTruthy();
    expect(within(first).getByText('3 attempts · HTTP 200')).toBeTruthy();
    expect(within(first).getByRole('link', { name: 'video a1b2c3d4…' }).getAttribute('href')).toBe(
      '#/assets/a1b2c3d4-0000-4000-8000-000000000001',
    );
    expect(within(second).getByText('Failed')).toBeTruthy();
    expect(within(second).getByText('1 attempt')).toBeTruthy();
    expect(within(first).queryAllByTestId('attempt')).toHaveLength(0);

    const toggle = within(first).getByRole('button', { name: 'video.asset.master.ready' });
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const attempts = within(first).getAllByTestId('attempt');
    expect(attempts).toHaveLength(3);
    const [a1, a2, a3] = attempts as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(a1).getByText('HTTP 500')).toBeTruthy();
    expect(within(a1).getByText('40 ms')).toBeTruthy();
    expect(within(a1).getByText('database is down')).toBeTruthy();
    expect(within(a2).getByText('No answer')).toBeTruthy();
    expect(within(a2).getByText('no answer within 5 s')).toBeTruthy();
    expect(within(a2).getByText('5 s')).toBeTruthy();
    expect(within(a3).getByText('HTTP 200')).toBeTruthy();
    expect(within(a3).getByText('1.53 s')).toBeTruthy();
    expect(within(a3).getByText('{"ok":true}')).toBeTruthy();

    fireEvent.click(within(second).getByRole('button', { name: 'video.asset.created' }));
    expect(within(second).getByText('connection refused')).toBeTruthy();
  });

  it('Resend POSTs the delivery and shows it pending again', async () => {
    const failed = makeDelivery({ state: 'failed', attempt_count: 2, last_status_code: 503 });
    const { api } = backend({ webhooks: [makeWebhook()], deliveries: [failed] });
    openWebhooks();
    const row = await within(await endpointCard()).findByTestId('delivery');
    expect(within(row).getByText('Failed')).toBeTruthy();

    fireEvent.click(within(row).getByRole('button', { name: 'Resend' }));
    await waitFor(() => expect(within(row).getByText('Pending')).toBeTruthy());
    expect(api.callsTo('POST', '/ui/v1/deliveries/d1/resend')).toHaveLength(1);
    expect(within(row).getByText(/2 attempts · HTTP 503 · retrying at/)).toBeTruthy();
  });

  it('refreshes the log every 2 seconds while the page is open', async () => {
    const pending = makeDelivery({ state: 'pending', attempt_count: 0, last_status_code: null, attempts: [] });
    const { api, deliveries } = backend({ webhooks: [makeWebhook()], deliveries: [pending] });
    openWebhooks();
    const row = await within(await endpointCard()).findByTestId('delivery');
    expect(within(row).getByText('Pending')).toBeTruthy();

    deliveries[0] = makeDelivery();
    await waitFor(() => expect(within(row).getByText('Delivered')).toBeTruthy(), { timeout: 4000 });
    const polls = api.callsTo('GET', '/ui/v1/webhooks/w1/deliveries').length;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(3);
  });

  it('deletes an endpoint only after confirmation', async () => {
    const { api } = backend({ webhooks: [makeWebhook()] });
    openWebhooks();
    const card = await endpointCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Delete…' }));
    expect(within(card).getByText(/It receives nothing more/)).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('DELETE', '/system/v1/webhooks/w1')).toHaveLength(0);

    fireEvent.click(within(card).getByRole('button', { name: 'Delete…' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByRole('heading', { name: 'No webhooks yet' })).toBeTruthy();
    expect(api.callsTo('DELETE', '/system/v1/webhooks/w1')).toHaveLength(1);
  });

  it('a new secret is asked for, then shown once', async () => {
    const { api } = backend({ webhooks: [makeWebhook()] });
    openWebhooks();
    const card = await endpointCard();
    fireEvent.click(within(card).getByRole('button', { name: 'New secret…' }));
    expect(api.callsTo('POST', '/ui/v1/webhooks/w1/rotate-secret')).toHaveLength(0);
    fireEvent.click(within(card).getByRole('button', { name: 'Replace secret' }));

    const field = (await within(card).findByRole('textbox', { name: 'Signing secret' })) as HTMLInputElement;
    expect(field.value).toBe('rotated-secret-xyz');
    expect(within(card).getByText(/The old secret no longer works/)).toBeTruthy();
    expect(api.callsTo('POST', '/ui/v1/webhooks/w1/rotate-secret')).toHaveLength(1);
  });
});
