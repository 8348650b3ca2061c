import { request } from './client';
import type { Delivery, Page, Webhook } from './types';

const base = '/system/v1/webhooks';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;
const uiPath = (id: string) => `/ui/v1/webhooks/${encodeURIComponent(id)}`;

export async function listWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
  return (await request<Page<Webhook>>('GET', base, { signal })).data ?? [];
}

/** The answer carries `signing_secret`: the only time the server ever shows it. */
export async function createWebhook(address: string): Promise<Webhook> {
  return (await request<{ data: Webhook }>('POST', base, { body: { address } })).data;
}

export async function setWebhookEnabled(id: string, enabled: boolean): Promise<Webhook> {
  return (await request<{ data: Webhook }>('PATCH', path(id), { body: { enabled } })).data;
}

export async function deleteWebhook(id: string): Promise<void> {
  await request<void>('DELETE', path(id));
}

/** A new secret, returned once; the receiver must switch to it. */
export async function rotateWebhookSecret(id: string): Promise<Webhook> {
  return (await request<{ data: Webhook }>('POST', `${uiPath(id)}/rotate-secret`)).data;
}

export async function sendTestEvent(id: string): Promise<Delivery> {
  return (await request<{ data: Delivery }>('POST', `${uiPath(id)}/test`)).data;
}

/** Newest first, each with its attempts. */
export async function listDeliveries(id: string, limit: number, signal?: AbortSignal): Promise<Delivery[]> {
  const query = new URLSearchParams({ limit: String(limit) });
  return (await request<Page<Delivery>>('GET', `${uiPath(id)}/deliveries?${query}`, { signal })).data ?? [];
}

export async function resendDelivery(id: string): Promise<Delivery> {
  return (await request<{ data: Delivery }>('POST', `/ui/v1/deliveries/${encodeURIComponent(id)}/resend`)).data;
}
