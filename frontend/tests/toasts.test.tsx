import { act, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Toasts } from '../src/components/Toasts';
import { type Notify, useToasts } from '../src/hooks/useToasts';

/** The app's wiring: the hook's toasts shown by the component, `notify` handed out. */
function Harness({ onNotify }: { onNotify: (notify: Notify) => void }) {
  const { toasts, notify, dismiss } = useToasts();
  onNotify(notify);
  return <Toasts toasts={toasts} onDismiss={dismiss} />;
}

function setUp() {
  let notify: Notify = () => {};
  render(<Harness onNotify={(n) => (notify = n)} />);
  return (kind: 'info' | 'error', text: string) => act(() => notify(kind, text));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('toasts', () => {
  it('reads every message out; in a narrow window the older ones fold behind "N more"', () => {
    const say = setUp();
    say('info', 'Uploaded 2 files. Their masters are being prepared.');
    expect(screen.queryByRole('button', { name: /more message/ })).toBeNull(); // one message: nothing to fold
    say('info', '2 masters are ready.');
    say('error', 'An upload failed: the file is empty.');

    const live = screen.getByRole('status');
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(live.textContent).toContain('Uploaded 2 files.');
    expect(live.textContent).toContain('An upload failed: the file is empty.');
    // The fold button sits outside the live region, so its label is not read out with each message.
    const more = screen.getByRole('button', { name: '2 more messages' });
    expect(live.contains(more)).toBe(false);
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(document.querySelector('.toasts')!.classList.contains('is-expanded')).toBe(false);

    fireEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    expect(more.textContent).toBe('Show only the newest');
    expect(document.querySelector('.toasts')!.classList.contains('is-expanded')).toBe(true);

    // Each message closes; with one left there is nothing to fold or unfold.
    fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss' })[0]!);
    fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss' })[0]!);
    expect(screen.getByRole('status').textContent).toBe('An upload failed: the file is empty.');
    expect(screen.queryByRole('button', { name: /more message|only the newest/ })).toBeNull();
    expect(document.querySelector('.toasts')!.classList.contains('is-expanded')).toBe(false);
  });

  it('lets information go after a few seconds and keeps errors until closed', () => {
    vi.useFakeTimers();
    const say = setUp();
    say('info', 'Deleted “Interview A”.');
    say('error', 'Could not open the folder: gone.');
    act(() => {
      vi.advanceTimersByTime(6_000);
    });
    expect(screen.getByRole('status').textContent).toBe('Could not open the folder: gone.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
