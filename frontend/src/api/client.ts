// The one place that talks HTTP. URLs are always relative: inside the Wails window the asset
// server forwards them to the Go handler, in a browser they go to `reelvault serve`.

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly messages: string[];

  constructor(status: number, type: string, messages: string[]) {
    super(messages.join(' '));
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.messages = messages;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Runs `listener` whenever any call answers 401 (the browser session is missing or expired). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

/** Sends a request and returns the decoded JSON body, or undefined for an empty answer (204). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithStatus<T>(method, path, options)).body;
}

/** As `request`, with the success status too, for calls whose 200 and 202 mean different things. */
export async function requestWithStatus<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', ['Reelvault is not reachable. Is it still running?']);
  }

  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
    throw error;
  }
  if (response.status === 204) return { status: 204, body: undefined as T };
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function errorFrom(response: Response): Promise<ApiError> {
  let type = 'failed_request';
  let messages: string[] = [];
  try {
    const body = (await response.json()) as { error?: { type?: string; messages?: unknown } };
    if (body.error?.type) type = body.error.type;
    if (Array.isArray(body.error?.messages)) {
      messages = body.error.messages.filter((m): m is string => typeof m === 'string' && m !== '');
    }
  } catch {
    // Not JSON (a proxy or a crash page): fall back to a message built from the status.
  }
  if (messages.length === 0) messages = [fallbackMessage(response.status)];
  return new ApiError(response.status, type, messages);
}

function fallbackMessage(status: number): string {
  switch (status) {
    case 401:
      return 'You are not logged in.';
    case 404:
      return 'Not found. It may have been deleted.';
    case 412:
      return 'This is not possible yet.';
    case 429:
      return 'Too many requests. Wait a moment and try again.';
    default:
      return status >= 500 ? `Reelvault had a problem (HTTP ${status}).` : `The request failed (HTTP ${status}).`;
  }
}

/** A readable sentence for any error thrown by `request`. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.messages.join(' ');
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
