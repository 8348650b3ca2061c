import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmAction } from '../src/components/ConfirmAction';

const ask = (onConfirm = vi.fn(async () => undefined)) =>
  render(
    <ConfirmAction trigger="Links off…" question="Turn off the download links of 3 videos?" confirmLabel="Turn off links" busyLabel="Turning off…" onConfirm={onConfirm} />,
  );

describe('an inline question', () => {
  it('Escape answers no and gives the focus back to the button that asked', async () => {
    const onConfirm = vi.fn(async () => undefined);
    ask(onConfirm);
    fireEvent.click(screen.getByRole('button', { name: 'Links off…' }));
    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(document.activeElement).toBe(cancel));
    fireEvent.keyDown(cancel, { key: 'Escape' });
    const trigger = await screen.findByRole('button', { name: 'Links off…' });
    await waitFor(() => expect(document.activeElement).toBe(trigger));
    expect(screen.queryByText('Turn off the download links of 3 videos?')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('Cancel and a done answer also give the focus back (not to the page)', async () => {
    const onConfirm = vi.fn(async () => undefined);
    ask(onConfirm);
    fireEvent.click(screen.getByRole('button', { name: 'Links off…' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Links off…' })));

    fireEvent.click(screen.getByRole('button', { name: 'Links off…' }));
    const yes = await screen.findByRole('button', { name: 'Turn off links' });
    yes.focus();
    fireEvent.click(yes);
    await waitFor(() => expect(onConfirm).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Links off…' })));
  });
});
