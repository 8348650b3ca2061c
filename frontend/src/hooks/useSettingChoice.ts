import { useState } from 'preact/hooks';
import { settingError } from '../api/settings';

export interface SettingChoice<T> {
  /** What the control shows as chosen: the saved value until the user picks another. */
  choice: T;
  setChoice: (choice: T) => void;
  /** A save is running (the control is disabled, its button says so). */
  busy: boolean;
  /** Why the last save failed, as a sentence; null after a good one. */
  error: string | null;
  /** Saves `value`; a failure lands in `error`, never in a rejected promise. */
  apply: (value: T) => Promise<void>;
}

/**
 * One setting a control changes with a save: the value being chosen, whether the save runs,
 * and its error in words. A pick belongs to the saved value it was made over: when that value
 * changes (this save, or another control's), the choice is the saved value again, in the
 * same render (no frame where nothing is chosen).
 */
export function useSettingChoice<T>(current: T, save: (value: T) => Promise<unknown>): SettingChoice<T> {
  const [picked, setPicked] = useState<{ value: T; over: T } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choice = picked && Object.is(picked.over, current) ? picked.value : current;
  const setChoice = (value: T) => setPicked({ value, over: current });

  async function apply(value: T) {
    setBusy(true);
    setError(null);
    try {
      await save(value);
    } catch (err) {
      setError(settingError(err));
    } finally {
      setBusy(false);
    }
  }
  return { choice, setChoice, busy, error, apply };
}
