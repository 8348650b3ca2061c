import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';
import { getSettings, type Settings, type SettingsChange, updateSettings } from '../api/settings';

export interface SettingsState {
  settings: Settings | null;
  error: string | null;
  reload: () => void;
  /** Saves one change; resolves to the new settings, rejects with the server's reason. */
  save: (change: SettingsChange) => Promise<Settings>;
}

/** The settings page's data: read when the page opens, replaced by each save's answer. */
export function useSettings(onSaved?: (settings: Settings) => void): SettingsState {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getSettings(controller.signal).then(
      (fresh) => {
        setSettings(fresh);
        setError(null);
      },
      (err) => {
        if (controller.signal.aborted) return;
        // A 401 swaps the window for the login screen; nothing to show here.
        if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
      },
    );
    return () => controller.abort();
  }, [generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const save = useCallback(
    async (change: SettingsChange) => {
      const fresh = await updateSettings(change);
      setSettings(fresh);
      onSaved?.(fresh);
      return fresh;
    },
    [onSaved],
  );
  return { settings, error, reload, save };
}
