import { useEffect, useState } from 'preact/hooks';
import { getInputFile, startTimecode, type InputFile, type InputTrack } from '../api/inputInfo';
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
  return [codecName(t.encoding), profile].filter(Boolean).join(' ');
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

/**
 * The original against the master, row by row: what the source was (from input-info, kept
 * from the probe at ingest) and what the master is. Rows neither side knows are left out.
 */
export function SourceFacts({ asset }: { asset: Asset }) {
  const [file, setFile] = useState<InputFile | null | undefined>(undefined);
  useEffect(() => {
    const abort = new AbortController();
    getInputFile(asset.id, abort.signal).then(setFile, () => setFile(null));
    return () => abort.abort();
  }, [asset.id]);
  if (!file) return null;
  const unchanged = asset.master_changes?.length === 0; // a pure remux: the master is the source's streams

  const sv = file.tracks.find((t) => t.type === 'video');
  const sAudio = file.tracks.filter((t) => t.type === 'audio');
  const mv = videoTrack(asset);
  const ma = asset.tracks?.filter((t) => t.type === 'audio') ?? [];
  const masterAudio = audioTrack(asset);
  // The master writes the timecode track again from the source's start and copies the container's
  // metadata (creation date included), so a built master carries both as the source has them.
  const timecode = startTimecode(file);
  const captured = asset.captured_at ? formatCreatedAt(asset.captured_at) : undefined;
  const built = asset.master_size !== undefined;
  const rows: [string, string | undefined, string | undefined][] = [
    ['Container', file.container_format.split(',')[0]?.toUpperCase(), asset.master_size !== undefined ? 'MP4' : undefined],
    [
      'Video',
      sv && videoCodec(sv),
      asset.master_codecs?.video && codecName(asset.master_codecs.video),
    ],
    ['Picture', sv?.width && sv.height ? `${sv.width} × ${sv.height}` : undefined, mv?.max_width && mv.max_height ? `${mv.max_width} × ${mv.max_height}` : undefined],
    ['Bit depth, chroma', sv && [sv.bit_depth && `${sv.bit_depth}-bit`, chroma(sv.pixel_format)].filter(Boolean).join(' ') || undefined, undefined],
    ['Colour', sv && colour(sv), undefined],
    ['Frame rate', sv?.frame_rate ? formatFrameRate(sv.frame_rate) : undefined, mv?.max_frame_rate ? formatFrameRate(mv.max_frame_rate) : undefined],
    ['Scan', sv?.field_order && (fieldOrders[sv.field_order] ?? sv.field_order), undefined],
    ['Video bitrate', bitrate(sv?.bit_rate), undefined],
    [
      'Audio',
      sAudio.length ? sAudio.map(audioLine).join(' · ') : 'None',
      masterAudio ? [asset.master_codecs?.audio && codecName(asset.master_codecs.audio), `${ma.length} track${ma.length === 1 ? '' : 's'}`].filter(Boolean).join(', ') : asset.tracks ? 'None' : undefined,
    ],
    ['Start timecode', timecode, built ? timecode : undefined],
    ['Recorded', captured, built ? captured : undefined],
    ['Size', file.size ? formatBytes(file.size) : undefined, asset.master_size !== undefined ? formatBytes(asset.master_size) : undefined],
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
