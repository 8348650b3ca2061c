import { useSettingChoice } from '../hooks/useSettingChoice';
import { useSettings } from '../hooks/useSettings';
import { CopyField } from './CopyField';
import { hostOf, withCurrent } from './ShareAddressSetting';

/** "1935" from "127.0.0.1:1935" or "[::1]:1935". */
const portOf = (listen: string) => listen.slice(listen.lastIndexOf(':') + 1);

/**
 * Where cameras and encoders connect: this computer only (OBS on this machine), one network (a
 * camera on the LAN), or all. Applying moves the RTMP listener at once; streams already coming in
 * go on. Shows the address a camera on the network types in.
 */
export function RtmpAddressSetting({ onMoved }: { onMoved?: () => void }) {
  const { settings, save } = useSettings();
  const listen = settings?.rtmp_listen ?? '';
  const current = hostOf(listen);
  const { choice, setChoice, busy, error, apply } = useSettingChoice(current, async (host) => {
    await save({ rtmp_host: host });
    onMoved?.();
  });

  if (!settings || !listen) return null; // not loaded, or live ingest is off (the cards say so)
  const fixed = settings.from_command_line?.rtmp_host === true;
  const options = withCurrent(settings.share_options ?? [], current);
  const onlyHere = current === '127.0.0.1' || current === '::1';

  function submit(event: Event) {
    event.preventDefault();
    void apply(choice);
  }

  return (
    <form class="panel rtmp-setting" onSubmit={submit} aria-labelledby="rtmp-setting-title">
      <h2 id="rtmp-setting-title" class="setting-label">
        Cameras and encoders connect on
      </h2>
      {fixed ? (
        <p class="muted small">
          {listen}, set by <code>--rtmp-listen</code> (or <code>REELVAULT_RTMP_LISTEN</code>) when Reelvault was started.
        </p>
      ) : (
        <>
          <div class="share-options rtmp-options" role="radiogroup" aria-label="Cameras and encoders connect on">
            {options.map((option) => (
              <label key={option.host} class="share-option">
                <input
                  type="radio"
                  name="rtmp-host"
                  value={option.host}
                  checked={choice === option.host}
                  onChange={() => setChoice(option.host)}
                />
                <span>
                  {option.label}
                  {option.host === current && <span class="muted small"> · in use</span>}
                </span>
              </label>
            ))}
          </div>
          <div class="setting-row">
            <button type="submit" class="button button-primary" disabled={busy || choice === current}>
              {busy ? 'Applying…' : 'Apply'}
            </button>
          </div>
        </>
      )}
      {settings.rtmp_url && (
        <div class="rtmp-url">
          <CopyField value={settings.rtmp_url} label={onlyHere ? 'Server (this computer)' : 'Server for cameras on the network'} />
          <p class="muted small">
            {!onlyHere ? (
              'Type this server and a stream’s key into the camera or encoder. It must be on the same network.'
            ) : fixed ? (
              // No choice is shown above: say how to open it to the network instead.
              <>
                Only an encoder on this computer (OBS) can connect. For a camera on your network, start Reelvault with{' '}
                <code>--rtmp-listen 0.0.0.0:{portOf(listen)}</code>, or without that option to choose the network here.
              </>
            ) : (
              'Only an encoder on this computer (OBS) can connect. For a camera on your network, choose a local network above.'
            )}
          </p>
        </div>
      )}
      {error && (
        <p class="field-error" role="alert">
          Could not receive streams there: {error}
        </p>
      )}
    </form>
  );
}
