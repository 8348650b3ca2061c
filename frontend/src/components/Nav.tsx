import type { JSX } from 'preact';
import type { AppInfo } from '../api/types';
import type { Route } from '../hooks/useRoute';
import { FilmIcon, LibraryIcon } from './icons';

interface NavItem {
  id: string;
  label: string;
  href: string;
  icon: () => JSX.Element;
  isActive: (route: Route) => boolean;
}

// Later pages (Live, Webhooks, Watch folders, Settings) are added to this list.
const items: NavItem[] = [
  { id: 'library', label: 'Library', href: '#/', icon: () => <LibraryIcon />, isActive: (r) => r.page === 'library' || r.page === 'asset' },
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
      {info && (
        <div class="nav-foot muted small">
          v{info.version} · {info.desktop ? 'Desktop' : 'Browser'}
        </div>
      )}
    </nav>
  );
}
