import type { JSX } from 'preact';
import type { AppInfo } from '../api/types';
import type { Route } from '../hooks/useRoute';
import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import { endSession } from '../api/ui';
import { FilmIcon, LibraryIcon, LiveIcon, SettingsIcon, ShareIcon, WebhookIcon } from './icons';
import { StorageLine } from './StorageLine';

interface NavItem {
  id: string;
  label: string;
  href: string;
  icon: () => JSX.Element;
  isActive: (route: Route) => boolean;
}

// Later pages (Live, Watch folders, Settings) are added to this list.
const items: NavItem[] = [
  { id: 'library', label: 'Library', href: '#/', icon: () => <LibraryIcon />, isActive: (r) => r.page === 'library' || r.page === 'asset' },
  { id: 'live', label: 'Live', href: '#/live', icon: () => <LiveIcon />, isActive: (r) => r.page === 'live' },
  { id: 'shared', label: 'Shared', href: '#/shared', icon: () => <ShareIcon />, isActive: (r) => r.page === 'shared' },
  { id: 'webhooks', label: 'Webhooks', href: '#/webhooks', icon: () => <WebhookIcon />, isActive: (r) => r.page === 'webhooks' },
  // Settings stays last; new pages go above it.
  { id: 'settings', label: 'Settings', href: '#/settings', icon: () => <SettingsIcon />, isActive: (r) => r.page === 'settings' },
];

export function Nav({ route, info }: { route: Route; info: AppInfo | null }) {
  return (
    <nav class="sidenav" aria-label="Main">
      <div class="brand">
        <FilmIcon /> <span>Reelvault</span>
      </div>
      <ul class="nav-list">
        {items.map((item) => {
          const active = item.isActive(route);
          return (
            <li key={item.id}>
              <a class={`nav-item${active ? ' is-active' : ''}`} href={item.href} aria-current={active ? 'page' : undefined}>
                {item.icon()}
                <span>{item.label}</span>
              </a>
            </li>
          );
        })}
      </ul>
      <StorageLine />
      {info && (
        <div class="nav-foot muted small">
          v{info.version} · {info.desktop ? 'Desktop' : 'Browser'}
          {!info.desktop && (
            <>
              {' · '}
              <SignOut quiet />
            </>
          )}
        </div>
      )}
    </nav>
  );
}

/** Ends the browser's session; the login screen follows. */
export function SignOut({ quiet = false }: { quiet?: boolean }) {
  const [error, setError] = useState<string | null>(null);
  async function signOut() {
    try {
      await endSession();
      window.location.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  }
  return (
    <>
      <button type="button" class={quiet ? 'text-button' : 'button'} onClick={signOut}>
        Sign out
      </button>
      {error && <span role="alert">{error}</span>}
    </>
  );
}
