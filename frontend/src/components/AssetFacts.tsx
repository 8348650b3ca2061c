import type { ComponentChildren } from 'preact';
import type { Asset, Track } from '../api/types';
import type { KeptOriginal } from '../api/uploads';
import { audioTrack, formatBytes, formatChannels, formatCreatedAt, formatDuration, formatFrameRate, videoTrack } from '../format';
import { resolutionLine } from './AssetCard';
import { qualityLabels, tierWords } from './AssetSettingsFields';
import { CopyButton } from './CopyButton';

const codecNames: Record<string, string> = {
  h264: 'H.264',
  hevc: 'HEVC (H.265)',
  h265: 'HEVC (H.265)',
  av1: 'AV1',
  vp9: 'VP9',
  prores: 'ProRes',
  dnxhd: 'DNxHD',
  mpeg2video: 'MPEG-2',
  mpeg1video: 'MPEG-1',
  mpeg4: 'MPEG-4 Part 2',
  dvvideo: 'DV',
  mjpeg: 'Motion JPEG',
  vp8: 'VP8',
  cfhd: 'CineForm',
  jpeg2000: 'JPEG 2000',
  ffv1: 'FFV1',
  rawvideo: 'Uncompressed',
  mp2: 'MP2',
  vorbis: 'Vorbis',
  dts: 'DTS',
  truehd: 'Dolby TrueHD',
  pcm_s16be: 'PCM 16-bit',
  pcm_s24be: 'PCM 24-bit',
  pcm_s32le: 'PCM 32-bit',
  pcm_s32be: 'PCM 32-bit',
  pcm_f32le: 'PCM 32-bit float',
  pcm_f32be: 'PCM 32-bit float',
  aac: 'AAC',
  mp3: 'MP3',
  opus: 'Opus',
  alac: 'ALAC',
  flac: 'FLAC',
  ac3: 'AC-3',
  eac3: 'E-AC-3',
  pcm_s16le: 'PCM 16-bit',
  pcm_s24le: 'PCM 24-bit',
};

export const codecName = (codec: string) => codecNames[codec.toLowerCase()] ?? codec;

const sourceNames: Record<string, string> = {
  file: 'File on this computer',
  url: 'Downloaded from a URL',
  upload: 'Uploaded',
  watch: 'Watch folder',
  live: 'Live recording',
};

function masterMade(asset: Asset): string | undefined {
  switch (asset.master_mode) {
    case 'remux':
      return 'Remux: the original video and audio, moved into MP4 without re-encoding';
    case 'transcode':
      // Only the sound (or subtitles) converted: the picture is the source's, bit for bit, and a
      // size and quality for it would say it was re-encoded. The change list names every
      // re-encoded picture ("… video re-encoded to …"); a master built before it was kept says nothing.
      if (asset.master_changes && asset.tracks?.some((t) => t.type === 'video') && !asset.master_changes.some((c) => / video re-encoded /.test(c))) {
        return 'The original video moved into MP4 without re-encoding; only what MP4 cannot hold was converted';
      }
      // The reasons follow below; "to fit 4K" read as the reason for a 640×360 ProRes clip.
      return `Transcode: re-encoded${asset.max_resolution_tier ? `, at most ${tierWords(asset.max_resolution_tier)}` : ''}${asset.video_quality ? ` (${(qualityLabels[asset.video_quality] ?? asset.video_quality).toLowerCase()})` : ''}`;
    case 'audio-only':
      return 'Audio-only MP4';
    default:
      return asset.master_mode;
  }
}

/** "Mono (eng, Boom)": a sound track's channels, language and name. */
function trackLabel(t: Track): string {
  const about = [t.language_code, t.name].filter(Boolean).join(', ');
  return formatChannels(t.max_channels) + (about ? ` (${about})` : '');
}

/** The asset's metadata as a definition list; rows the server has not filled yet are left out. */
export function AssetFacts({ asset, original }: { asset: Asset; original?: KeptOriginal | null }) {
  const video = videoTrack(asset);
  const audio = audioTrack(asset);
  const audios = asset.tracks?.filter((t) => t.type === 'audio') ?? [];
  const audioText = audio
    ? [
        asset.master_codecs?.audio && codecName(asset.master_codecs.audio),
        audios.length > 1 ? `${audios.length} tracks: ${audios.map(trackLabel).join(' · ')}` : trackLabel(audio),
      ]
        .filter(Boolean)
        .join(', ')
    : asset.tracks
      ? 'No audio'
      : undefined;
  const subtitles = asset.tracks?.filter((t) => t.type === 'text') ?? [];

  const rows: [string, ComponentChildren][] = [
    ['Duration', asset.duration !== undefined ? formatDuration(asset.duration) : undefined],
    ['Resolution', resolutionLine(asset)],
    ['Aspect ratio', asset.aspect_ratio],
    ['Frame rate', video?.max_frame_rate !== undefined ? formatFrameRate(video.max_frame_rate) : undefined],
    ['Video codec', asset.master_codecs?.video && codecName(asset.master_codecs.video)],
    ['Audio', audioText],
    ['Subtitles', subtitles.length > 0 ? subtitles.map((t) => t.name || t.language_code || 'Untitled').join(' · ') : undefined],
    ['Master file size', asset.master_size !== undefined ? formatBytes(asset.master_size) : undefined],
    ['Master made by', masterMade(asset) && <MadeBy how={masterMade(asset)!} why={asset.master_reason} />],
    ['Changed from the original', asset.master_changes && <Changes changes={asset.master_changes} />],
    [
      'SHA-256',
      asset.master_sha256 && (
        <span class="hash-row">
          <code class="hash">{asset.master_sha256}</code>
          <CopyButton value={asset.master_sha256} label="SHA-256" />
        </span>
      ),
    ],
    // An upload's input is Reelvault's own copy under the data folder: name it as the user knew it.
    // A live recording's is a folder of its parts there too: "Added from: Live recording" says it.
    [
      'Source',
      original ? (
        <>
          {original.name}
          <span class="muted small"> · {formatBytes(original.size)} · uploaded, kept beside the master</span>
        </>
      ) : (
        asset.input && asset.source !== 'upload' && asset.source !== 'live' && <code class="path">{asset.input}</code>
      ),
    ],
    ['Added from', asset.source && (sourceNames[asset.source] ?? asset.source)],
    ['Added', formatCreatedAt(asset.created_at)],
    ['Passthrough', asset.passthrough || undefined],
    ['Asset ID', <code class="hash">{asset.id}</code>],
  ];

  return (
    <dl class="facts">
      {rows
        .filter(([, value]) => value !== undefined && value !== '' && value !== false)
        .map(([label, value]) => (
          <div class="fact" key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** How the master was made and, when it was re-encoded, the reasons in the server's words. */
function MadeBy({ how, why }: { how: string; why: string | undefined }) {
  const reasons = (why ?? '')
    .split(';')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => r.charAt(0).toUpperCase() + r.slice(1));
  return (
    <>
      {how}
      {reasons.length > 0 && (
        <ul class="made-why" aria-label="Why">
          {reasons.map((r) => (
            <li key={r}>{r}.</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** What the master changed compared to the original, in the server's sentences. */
function Changes({ changes }: { changes: string[] }) {
  if (changes.length === 0) {
    return <>Nothing: every stream, the timecode, chapters and metadata kept as they were</>;
  }
  return (
    <ul class="made-why" aria-label="Changed from the original">
      {changes.map((c) => (
        <li key={c}>{c.charAt(0).toUpperCase() + c.slice(1)}.</li>
      ))}
    </ul>
  );
}
