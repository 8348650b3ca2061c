import { useEffect, useState } from 'preact/hooks';
import { getSourceAndMaster, startTimecode, type InputFile, type InputTrack, type SourceAndMaster } from '../api/inputInfo';
import type { Asset } from '../api/types';
import { audioTrack, formatBytes, formatChannels, formatCreatedAt, formatFrameRate, videoTrack } from '../format';
import { codecName } from './AssetFacts';

/** "yuv422p10le" → "4:2:2"; undefined when the format does not say. */
function chroma(pixFmt: string | undefined): string | undefined {
  if (!pixFmt) return undefined;
  if (/^(yuv|yuva)444|^gbr|^rgb|^bgr/.test(pixFmt)) return '4:4:4';
  if (/^(yuv|yuva|nv)422|^uyvy|^yuyv|^v210|^p2[12]/.test(pixFmt)) return '4:2:2';
  if (/^(yuv|yuva|yuvj)420|^nv12|^p01/.test(pixFmt)) return '4:2:0';
  return pixFmt;
}

function colour(t: InputTrack): string | undefined {
  if (t.color_transfer === 'smpte2084') return 'HDR (PQ / HDR10)';
  if (t.color_transfer === 'arib-std-b67') return 'HDR (HLG)';
  const primaries = t.color_primaries === 'bt2020' ? 'BT.2020' : t.color_primaries === 'bt709' ? 'BT.709' : t.color_primaries;
  return primaries ? `SDR, ${primaries}` : undefined;
}

const fieldOrders: Record<string, string> = {
  progressive: 'Progressive',
  tt: 'Interlaced, top field first',
  tb: 'Interlaced, top field first',
  bb: 'Interlaced, bottom field first',
  bt: 'Interlaced, bottom field first',
};

const bitrate = (bps: number | undefined) => (bps && bps > 0 ? `${(bps / 1e6).toFixed(bps < 1e7 ? 1 : 0)} Mb/s` : undefined);

// ffprobe's ProRes profile names, as Apple and editors say them.
const proresProfiles: Record<string, string> = {
  Proxy: '422 Proxy',
  LT: '422 LT',
  Standard: '422',
  HQ: '422 HQ',
  '4444': '4444',
  '4444XQ': '4444 XQ',
};

/** "ProRes 422 HQ", "H.264 High": the codec and its profile. */
function videoCodec(t: InputTrack): string | undefined {
  if (!t.encoding) return undefined;
  const profile = t.encoding === 'prores' && t.profile ? (proresProfiles[t.profile] ?? t.profile) : t.profile;
  // ffprobe calls every HEVC range extension (4:2:2, 4:4:4) "Rext": it tells an editor nothing
  // the bit depth and chroma row does not say better.
  return [codecName(t.encoding), profile === 'Rext' ? undefined : profile].filter(Boolean).join(' ');
}

/** "10-bit 4:2:2". */
const depthAndChroma = (t: InputTrack | undefined) =>
  (t && [t.bit_depth && `${t.bit_depth}-bit`, chroma(t.pixel_format)].filter(Boolean).join(' ')) || undefined;

const scan = (t: InputTrack | undefined) => t?.field_order && (fieldOrders[t.field_order] ?? t.field_order);

/** "Blackmagic Design Pocket Cinema Camera 6K"; the model alone when it already names the make. */
function camera(f: InputFile | null | undefined): string | undefined {
  const make = f?.camera_make;
  const model = f?.camera_model;
  if (make && model && model.toLowerCase().startsWith(make.toLowerCase())) return model;
  return [make, model].filter(Boolean).join(' ') || undefined;
}

function audioLine(t: InputTrack): string {
  const codec = t.encoding && codecName(t.encoding);
  const bits = t.sample_size && `${t.sample_size}-bit`;
  return [
    codec,
    formatChannels(t.channels),
    t.sample_rate && `${t.sample_rate / 1000} kHz`,
    // "PCM 24-bit" already says its bits.
    bits && !codec?.includes(bits) ? bits : undefined,
    t.language_code,
  ]
    .filter(Boolean)
    .join(', ');
}

// ffprobe's names of formats whose description was kept before Reelvault named the container
// itself; its QuickTime family ("mov,mp4,…") is the same for an MP4 and a MOV.
const containerFallbacks: Record<string, string> = {
  'mov,mp4,m4a,3gp,3g2,mj2': 'MP4 / MOV',
  'matroska,webm': 'Matroska / WebM',
  mpegts: 'MPEG-TS',
  mpeg: 'MPEG-PS',
};

/** "MP4", "MOV", "MXF": the server's name, else one made from ffprobe's. */
const containerName = (f: InputFile) =>
  f.container || containerFallbacks[f.container_format] || f.container_format.split(',')[0]?.toUpperCase() || undefined;

// A player's turn of the picture (clockwise degrees) in words.
const turns: Record<number, string> = { 90: 'turned 90° right', 180: 'turned upside down', 270: 'turned 90° left' };

/**
 * "1920 × 1080"; a turned picture "1920 × 1080, turned 90° right (plays 1080 × 1920)"; an
 * anamorphic one "1440 × 1080, 4:3 pixels (plays 1920 × 1080)".
 */
function picture(t: InputTrack | undefined): string | undefined {
  if (!t?.width || !t.height) return undefined;
  const stored = `${t.width} × ${t.height}`;
  const [n, d] = (t.pixel_aspect ?? '').split(':').map(Number);
  const wide = n && d && n > 0 && d > 0 && n !== d ? n / d : 1; // how much wider a pixel is than tall
  const turn = t.rotation ? turns[t.rotation] : undefined;
  if (!turn && wide === 1) return stored;
  const width = Math.round(t.width * wide);
  const quarter = t.rotation === 90 || t.rotation === 270;
  const plays = quarter ? `${t.height} × ${width}` : `${width} × ${t.height}`;
  return `${stored}, ${[wide !== 1 && `${t.pixel_aspect} pixels`, turn].filter(Boolean).join(', ')} (plays ${plays})`;
}

/** Each audio track on its own line part, or "None". */
const audioLines = (tracks: InputTrack[]) => (tracks.length ? tracks.map(audioLine).join(' · ') : 'None');

/** The master's audio from the asset's own fields ("AAC, 2 tracks"), for masters never probed; undefined while its tracks are not known. */
function assetAudioLine(asset: Asset): string | undefined {
  if (!audioTrack(asset)) return asset.tracks ? 'None' : undefined;
  const count = asset.tracks?.filter((t) => t.type === 'audio').length ?? 0;
  return [asset.master_codecs?.audio && codecName(asset.master_codecs.audio), `${count} track${count === 1 ? '' : 's'}`].filter(Boolean).join(', ');
}

/**
 * The original against the master, row by row: what the source was (from input-info, kept
 * from the probe at ingest) and what the master is. Rows neither side knows are left out.
 */
export function SourceFacts({ asset }: { asset: Asset }) {
  const [described, setDescribed] = useState<SourceAndMaster | null | undefined>(undefined);
  useEffect(() => {
    const abort = new AbortController();
    getSourceAndMaster(asset.id, abort.signal).then(setDescribed, () => setDescribed(null));
    return () => abort.abort();
  }, [asset.id]);
  const file = described?.file;
  if (!file) return null;
  // The master as probed once written; absent for masters made before it was kept, where the
  // asset's codecs and tracks say what they can.
  const master = described.master;
  const unchanged = asset.master_changes?.length === 0; // a pure remux: the master is the source's streams

  const sv = file.tracks.find((t) => t.type === 'video');
  const sAudio = file.tracks.filter((t) => t.type === 'audio');
  const mvd = master?.tracks.find((t) => t.type === 'video');
  const mAudio = master?.tracks.filter((t) => t.type === 'audio');
  const mv = videoTrack(asset);
  // The master writes the timecode track again from the source's start and copies the container's
  // metadata (creation date included), so a built master carries both as the source has them.
  const timecode = startTimecode(file);
  const captured = asset.captured_at ? formatCreatedAt(asset.captured_at) : undefined;
  const built = asset.master_size !== undefined;
  const masterFrameRate = mvd?.frame_rate ?? mv?.max_frame_rate;
  const rows: [string, string | undefined, string | undefined][] = [
    ['Container', containerName(file), built ? 'MP4' : undefined],
    [
      'Video',
      sv && videoCodec(sv),
      mvd ? videoCodec(mvd) : asset.master_codecs?.video && codecName(asset.master_codecs.video),
    ],
    [
      'Picture',
      picture(sv),
      mvd?.width && mvd.height ? picture(mvd) : mv?.max_width && mv.max_height ? `${mv.max_width} × ${mv.max_height}` : undefined,
    ],
    ['Bit depth, chroma', depthAndChroma(sv), depthAndChroma(mvd)],
    ['Colour', sv && colour(sv), mvd && colour(mvd)],
    ['Frame rate', sv?.frame_rate ? formatFrameRate(sv.frame_rate) : undefined, masterFrameRate ? formatFrameRate(masterFrameRate) : undefined],
    ['Scan', scan(sv), scan(mvd)],
    ['Video bitrate', bitrate(sv?.bit_rate), bitrate(mvd?.bit_rate)],
    [
      'Audio',
      audioLines(sAudio),
      mAudio ? audioLines(mAudio) : assetAudioLine(asset),
    ],
    ['Start timecode', timecode, master ? startTimecode(master) : built ? timecode : undefined],
    ['Reel', file.reel_name, master?.reel_name],
    ['Camera', camera(file), camera(master)],
    ['Recorded', captured, built ? captured : undefined],
    ['Size', file.size ? formatBytes(file.size) : undefined, built ? formatBytes(asset.master_size) : undefined],
  ];
  return (
    <table class="source-facts">
      <thead>
        <tr>
          <th scope="col">
            <span class="visually-hidden">Fact</span>
          </th>
          <th scope="col">Source</th>
          <th scope="col">Master</th>
        </tr>
      </thead>
      <tbody>
        {rows
          .filter(([, s, m]) => s || m)
          .map(([label, s, m]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{s ?? '–'}</td>
              <td>{m ?? (s && unchanged ? 'Same' : '–')}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
