import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import type { Settings } from '../api/settings';
import { useScrollToTop } from '../hooks/useScrollToTop';
import { useSettings } from '../hooks/useSettings';
import { AccessTokenSection } from './AccessTokenSection';
import { CopyField } from './CopyField';
import { FFmpegSetting } from './FFmpegSetting';
import { LinkLifetimeSetting } from './LinkLifetimeSetting';
import { NotificationsSetting } from './NotificationsSetting';
import { SignOut } from './Nav';
import { QuarantineSection } from './QuarantineSection';
import { RetryBanner } from './RetryBanner';
import { ShareAddressSetting } from './ShareAddressSetting';
import { ShareNameSetting } from './ShareNameSetting';
import { WatchFolders } from './WatchFolders';

/** Storage, links, API access and watch folders; what the command line fixed is read-only. */
export function SettingsPage({ onChanged, inBrowser = false }: { onChanged?: (settings: Settings) => void; inBrowser?: boolean }) {
  const { settings, error, reload, save } = useSettings(onChanged);
  const rootRef = useRef<HTMLDivElement>(null);
  useScrollToTop(rootRef, '.library-pane');
  return (
    <div class="settings-page" ref={rootRef}>
      <header class="page-header">
        <h1>Settings</h1>
      </header>
      {error && (
        <RetryBanner onRetry={reload}>Could not load the settings: {error}</RetryBanner>
      )}
      {!settings ? (
        !error && <p class="muted loading">Loading settings…</p>
      ) : (
        <>
          <Section id="settings-links" title="Download links">
            <LinkLifetimeSetting settings={settings} save={save} />
            <ShareAddressSetting settings={settings} save={save} />
            <ShareNameSetting settings={settings} save={save} />
          </Section>
          <Section id="settings-notifications" title="Notifications">
            <NotificationsSetting settings={settings} save={save} />
          </Section>
          <Section id="settings-storage" title="Storage folder">
            <StorageSetting settings={settings} />
          </Section>
          <Section id="settings-ffmpeg" title="ffmpeg">
            <FFmpegSetting settings={settings} save={save} />
          </Section>
          <Section id="settings-watch-folders" title="Watch folders">
            <WatchFoldersSlot />
          </Section>
          <Section id="settings-quarantine" title="Files set aside">
            <QuarantineSection />
          </Section>
          <Section id="settings-api" title="API access for scripts">
            <AccessTokenSection settings={settings} />
          </Section>
          {inBrowser && (
            <Section id="settings-browser" title="This browser">
              <p class="muted small">
                This browser stays signed in for 30 days, also across restarts of Reelvault. Signing out ends its
                session at once.
              </p>
              <SignOut />
            </Section>
          )}
        </>
      )}
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="panel settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function StorageSetting({ settings }: { settings: Settings }) {
  return (
    <div class="setting">
      <p class="muted small">Reelvault keeps its database, the masters and their thumbnails here.</p>
      <CopyField value={settings.data_dir} label="Storage folder" />
      <p class="muted small setting-note">
        To keep the archive somewhere else, quit Reelvault and start it with <code>--data /path/to/folder</code> (or set{' '}
        <code>REELVAULT_DATA</code>). It does not move the archive for you: copy the folder there first to keep your
        videos.
      </p>
    </div>
  );
}

/** The watch folders: their list, state and recent files, and an "Add folder" form. */
function WatchFoldersSlot() {
  return (
    <div data-testid="watch-folders-slot">
      <WatchFolders />
    </div>
  );
}
