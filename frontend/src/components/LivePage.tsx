import { useCallback } from 'preact/hooks';
import type { LiveStream } from '../api/live';
import { useLiveStreams } from '../hooks/useLiveStreams';
import { useNotify } from '../hooks/useToasts';
import { streamName } from '../liveFormat';
import { LiveIcon } from './icons';
import { ListPage } from './ListPage';
import { LiveStreamCard } from './LiveStreamCard';
import { NewLiveStreamForm } from './NewLiveStreamForm';
import { RtmpAddressSetting } from './RtmpAddressSetting';

/** Live streams an encoder (OBS, a camera) publishes to over RTMP; each recording becomes a video. */
export function LivePage() {
  const list = useLiveStreams();
  const notify = useNotify();

  const onAdded = useCallback(
    (stream: LiveStream) => notify('info', `Created “${streamName(stream)}”. Paste its server and key into your encoder.`),
    [notify],
  );
  const onDeleted = useCallback(
    (stream: LiveStream) => {
      list.remove(stream.id);
      notify('info', `Deleted the live stream “${streamName(stream)}”.`);
    },
    [list.remove, notify],
  );

  return (
    <ListPage
      pageClass="live-page"
      title="Live"
      count={list.streams.length}
      unit={['stream', 'streams']}
      form={
        <>
          <RtmpAddressSetting onMoved={list.reload} />
          <NewLiveStreamForm add={list.add} onAdded={onAdded} />
        </>
      }
      loaded={list.loaded}
      error={list.error}
      onRetry={list.reload}
      loadingText="Loading live streams…"
      empty={<LiveEmpty />}
    >
      <ul class="live-list" aria-label="Live streams">
        {list.streams.map((stream) => (
          <LiveStreamCard
            key={stream.id}
            stream={stream}
            clock={list.startedAt[stream.id]}
            onChanged={list.replace}
            onDeleted={onDeleted}
          />
        ))}
      </ul>
    </ListPage>
  );
}

function LiveEmpty() {
  return (
    <div class="empty-state live-empty">
      <div class="empty-icon" aria-hidden="true">
        <LiveIcon width="36" height="36" />
      </div>
      <h2>Record a live stream</h2>
      <p>
        Reelvault records what OBS, a camera or any RTMP encoder sends it, and keeps each recording as a video with its
        master, ready the moment the stream ends.
      </p>
      <ol class="live-steps" aria-label="How to start">
        <li>
          <strong>Create a live stream</strong> above. Give it a name and choose whether each recording gets a download link.
        </li>
        <li>
          In OBS, open <strong>Settings → Stream</strong>, choose the service <strong>Custom…</strong>, and paste the{' '}
          <strong>Server</strong> and the <strong>Stream key</strong> Reelvault shows you.
        </li>
        <li>
          Press <strong>Start Streaming</strong>. Reelvault records while you stream; when you stop, the recording appears in
          your library.
        </li>
      </ol>
    </div>
  );
}
