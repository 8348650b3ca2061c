// Expiry presets of share links, shared by the Share dialog and Extend.
import { formatExpiry } from '../format';

export type ExpiryChoice = '1d' | '7d' | '30d' | 'never';

export const EXPIRY_CHOICES: { id: ExpiryChoice; label: string; seconds: number | null }[] = [
  { id: '1d', label: 'In 24 hours', seconds: 86_400 },
  { id: '7d', label: 'In 7 days', seconds: 7 * 86_400 },
  { id: '30d', label: 'In 30 days', seconds: 30 * 86_400 },
  { id: 'never', label: 'Never', seconds: null },
];

/** The request fields for a choice: seconds from now, or "never". */
export function expiryFor(choice: ExpiryChoice): { expires_in: number | 'never' } {
  const seconds = EXPIRY_CHOICES.find((c) => c.id === choice)?.seconds;
  return { expires_in: seconds ?? 'never' };
}

/** "expires in 6 d 23 h", "expired", "never expires". */
export function describeExpiry(expiresAt: Date | null, nowMs: number = Date.now()): string {
  if (!expiresAt) return 'never expires';
  return formatExpiry(expiresAt.getTime() / 1000, nowMs);
}
