import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';
import { createSession } from '../api/ui';
import { FilmIcon } from './icons';

/** Shown in a browser without a session: trade the code `reelvault serve` printed for a cookie. */
export function LoginScreen({ onLoggedIn, notice = null }: { onLoggedIn: () => void; notice?: string | null }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(notice);
  // Why the link that opened this page did not log in: it can arrive after the screen is shown
  // (the refused code's 401 shows the login screen before its answer is read).
  useEffect(() => {
    if (notice) setError(notice);
  }, [notice]);

  async function submit(event: Event) {
    event.preventDefault();
    const trimmed = code.trim();
    if (!trimmed) {
      setError('Type the code from the terminal.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await createSession(trimmed);
      onLoggedIn();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That code did not work: each code works once, for 10 minutes. Type the newest code from the terminal, or run reelvault login-code for a new one.'
          : messageOf(err),
      );
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit}>
        <div class="brand brand-large">
          <FilmIcon width="28" height="28" /> Reelvault
        </div>
        <h1>Enter your access code</h1>
        <p class="muted">
          When <code>reelvault serve</code> starts, it prints a one-time code and a link in its terminal: open the link,
          or type the code here. <code>reelvault login-code</code> prints a new one at any time.
        </p>
        <label for="login-code">Access code</label>
        <input
          id="login-code"
          class="input login-input"
          type="text"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
          autocomplete="one-time-code"
          autoFocus
          spellcheck={false}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'login-error' : undefined}
        />
        {error && (
          <p id="login-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button-primary button-wide" disabled={busy}>
          {busy ? 'Checking…' : 'Open Reelvault'}
        </button>
      </form>
    </main>
  );
}
