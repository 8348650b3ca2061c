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

/** The window's width as the component reads it (jsdom applies no media queries). */
function widthIs(px: number) {
  act(() => {
    Object.defineProperty(window, 'innerWidth', { configurable: true, value: px });
    window.dispatchEvent(new Event('resize'));
  });
}

const shown = () => [...document.querySelectorAll('.toast:not(.is-folded)')].map((t) => t.textContent);

afterEach(() => {
  vi.useRealTimers();
  widthIs(1024); // jsdom's own
});

describe('toasts', () => {
  it('reads every message out; in a narrow window the older ones fold behind "N more"', () => {
    widthIs(400);
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
    expect(shown()).toEqual(['An upload failed: the file is empty.']);

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

  it('in a wide window the newest two show and the older ones fold behind "N more"; each is read out and closes', () => {
    widthIs(1280);
    const say = setUp();
    say('info', 'Deleted “Interview A”.');
    say('info', '2 masters are ready.');
    expect(screen.queryByRole('button', { name: /more message/ })).toBeNull(); // two fit
    expect(shown()).toEqual(['Deleted “Interview A”.', '2 masters are ready.']);
    say('error', 'Could not open the folder: gone.');
    say('error', 'An upload failed: the file is empty.');

    expect(shown()).toEqual(['Could not open the folder: gone.', 'An upload failed: the file is empty.']);
    const live = screen.getByRole('status');
    expect(live.textContent).toContain('Deleted “Interview A”.'); // folded, still in the live region
    const more = screen.getByRole('button', { name: '2 more messages' });
    expect(live.contains(more)).toBe(false);

    fireEvent.click(more);
    expect(shown()).toHaveLength(4);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(more);
    expect(shown()).toHaveLength(2);

    // Closing a shown one brings the next older into view.
    fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss' })[3]!);
    expect(shown()).toEqual(['2 masters are ready.', 'Could not open the folder: gone.']);
    expect(screen.getByRole('button', { name: '1 more message' })).toBeTruthy();

    // Narrowing the window folds down to the newest.
    widthIs(400);
    expect(shown()).toEqual(['Could not open the folder: gone.']);
    expect(screen.getByRole('button', { name: '2 more messages' })).toBeTruthy();
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
