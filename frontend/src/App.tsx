import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, onUnauthorized } from './api/client';
import type { AppInfo, Asset } from './api/types';
import { createSession, getInfo, takeCodeFromURL } from './api/ui';
import { reportAdds } from './components/AddPanel';
import { AssetDetail } from './components/AssetDetail';
import { LibraryView } from './components/LibraryView';
import { LivePage } from './components/LivePage';
import { LoginScreen } from './components/LoginScreen';
import { Nav } from './components/Nav';
import { SettingsPage } from './components/SettingsPage';
import { SharedPage } from './components/SharedPage';
import { Toasts } from './components/Toasts';
import { AlertIcon } from './components/icons';
import { WebhooksPage } from './components/WebhooksPage';
import { titleOf } from './format';
import { useAdder } from './hooks/useAdder';
import { useAssetList } from './hooks/useAssetList';
import { BROWSER_DROP_HINT, type BrowserDrop, isMediaFile, refusedDropMessage, useFileDrop } from './hooks/useFileDrop';
import { useMasterNotices } from './hooks/useMasterNotices';
import { navigate, useRoute } from './hooks/useRoute';
import { NotifyContext, useToasts } from './hooks/useToasts';
import { UploadsContext, useUploads } from './hooks/useUploads';

type AuthState = 'checking' | 'ok' | 'login';

const LINK_USED =
  'That login link has been used already or has expired: each link works once, for 10 minutes. Run reelvault login-code in the terminal for a new one, or type the newest code here.';

/** Decides between the login screen (browser without a session) and the workspace. */
export function App() {
  const [auth, setAuth] = useState<AuthState>('checking');
  const [info, setInfo] = useState<AppInfo | null>(null);
  // Why a login link did not log in (its code used or expired), for the login screen to say.
  const [linkError, setLinkError] = useState<string | null>(null);

  useEffect(() => onUnauthorized(() => setAuth('login')), []);

  const start = useCallback(async () => {
    const code = takeCodeFromURL();
    if (code) {
      // A login link: try its code; if it was used or expired, the login screen explains.
      await createSession(code).then(
        () => setLinkError(null),
        (err) => setLinkError(err instanceof ApiError && err.status === 401 ? LINK_USED : messageOf(err)),
      );
    }
    try {
      setInfo(await getInfo());
      setAuth('ok');
    } catch (err) {
      // Without info the window still works (defaults apply); the library shows its own errors.
      setAuth(err instanceof ApiError && err.status === 401 ? 'login' : 'ok');
    }
  }, []);

  useEffect(() => {
    void start();
  }, [start]);

  if (auth === 'checking') return <div class="splash" aria-busy="true" />;
  if (auth === 'login') return <LoginScreen onLoggedIn={() => void start()} notice={linkError} />;
  return <Workspace info={info} refreshInfo={start} />;
}

function Workspace({ info, refreshInfo }: { info: AppInfo | null; refreshInfo: () => Promise<void> }) {
  // While ffmpeg is missing the server looks for it again every 30 s; the banner follows.
  const ffmpegMissing = Boolean(info?.ffmpeg_problem);
  useEffect(() => {
    if (!ffmpegMissing) return;
    const timer = setInterval(() => void refreshInfo(), 30_000);
    return () => clearInterval(timer);
  }, [ffmpegMissing, refreshInfo]);
  const route = useRoute();
  const onLibrary = route.page === 'library' || route.page === 'asset';
  // The library stops polling while another page is open; it refreshes when shown again.
  const list = useAssetList(onLibrary);
  const { toasts, notify, dismiss } = useToasts();
  useMasterNotices(notify);

  const onAdded = useCallback(
    (asset: Asset) => {
      list.upsert(asset);
      list.pollNow();
    },
    [list.upsert, list.pollNow],
  );
  const adder = useAdder(onAdded);
  const uploads = useUploads(onAdded, notify);
  const onBrowserDrop = ({ files, folders }: BrowserDrop) => {
    if (folders > 0) {
      notify('info', 'A browser cannot upload a folder: drop the video files inside it, or add the folder as a watch folder in Settings.');
    }
    const media = files.filter(isMediaFile);
    const refused = files.filter((file) => !isMediaFile(file));
    if (refused.length > 0) notify('error', refusedDropMessage(refused.map((file) => file.name)));
    if (media.length === 0) return;
    uploads.start(media, adder.options);
    if (!onLibrary) navigate({ page: 'library' }); // the add panel shows the progress
  };
  const dragging = useFileDrop((paths) => void adder.addPaths(paths).then((result) => reportAdds(result, notify)), onBrowserDrop);

  const selectedId = route.page === 'asset' ? route.id : undefined;
  const closeDetail = useCallback(() => navigate({ page: 'library' }), []);
  const onDeleted = useCallback(
    (asset: Asset) => {
      list.remove(asset.id);
      notify('info', `Deleted “${titleOf(asset)}”.`);
      navigate({ page: 'library' });
    },
    [list.remove, notify],
  );

  return (
    <NotifyContext.Provider value={notify}>
      {/* The whole window is the Wails drop target; its class is never re-rendered so Wails' own
          "wails-drop-target-active" class survives while dragging. */}
      <div class="drop-root" style="--wails-drop-target: drop">
        <div class={`shell${selectedId ? ' has-detail' : ''}`}>
          <Nav route={route} info={info} />
          <main class="library-pane">
            {info?.ffmpeg_problem && <FFmpegBanner problem={info.ffmpeg_problem} />}
            {route.page === 'live' ? (
              <LivePage />
            ) : route.page === 'webhooks' ? (
              <WebhooksPage />
            ) : route.page === 'shared' ? (
              <SharedPage />
            ) : route.page === 'settings' ? (
              <SettingsPage onChanged={() => void refreshInfo()} inBrowser={info ? !info.desktop : false} />
            ) : (
              <UploadsContext.Provider value={uploads}>
                <LibraryView list={list} adder={adder} selectedId={selectedId} />
              </UploadsContext.Provider>
            )}
          </main>
          {selectedId && (
            <aside class="detail-pane" aria-label="Video details">
              <AssetDetail
                key={selectedId}
                id={selectedId}
                seed={list.assets.find((a) => a.id === selectedId)}
                info={info}
                onChanged={list.upsert}
                onDeleted={onDeleted}
                onClose={closeDetail}
              />
            </aside>
          )}
        </div>
        {dragging && (
          <div class="drop-hint" aria-hidden="true">
            <p>{BROWSER_DROP_HINT}</p>
          </div>
        )}
        <Toasts toasts={toasts} onDismiss={dismiss} />
      </div>
    </NotifyContext.Provider>
  );
}

/** ffmpeg is missing or too old: the library works, and videos added wait until it is found. */
function FFmpegBanner({ problem }: { problem: string }) {
  return (
    <div class="banner banner-error" role="alert" data-testid="ffmpeg-banner">
      <AlertIcon />
      <span>
        {problem}. Videos you add wait until it is found. <a href="#/settings">Settings</a>
      </span>
    </div>
  );
}
