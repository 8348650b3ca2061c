import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { SourceFacts } from '../src/components/SourceFacts';
import { makeAsset, mockApi } from './mockApi';

/** input-info as the server keeps it: a 4K ProRes original, with or without its size. */
function inputInfo(size?: number) {
  return {
    'GET /video/v1/assets/a1/input-info': {
      body: {
        data: [
          {
            settings: { url: '/footage/A001.mov' },
            file: {
              container_format: 'mov,mp4,m4a,3gp,3g2,mj2',
              tracks: [{ type: 'video', encoding: 'prores', profile: 'HQ', width: 3840, height: 2160, frame_rate: 25 }],
              ...(size !== undefined ? { size } : {}),
            },
          },
        ],
      },
    },
  };
}

const sizeRow = async () => {
  const header = await screen.findByRole('rowheader', { name: 'Size' });
  return [...header.parentElement!.querySelectorAll('td')].map((td) => td.textContent);
};

describe('source and master', () => {
  it('sets the original’s size beside the master’s', async () => {
    mockApi(inputInfo(42_000_000));
    render(<SourceFacts asset={makeAsset({ master_size: 3_370_000, master_changes: ['scaled to 1920 × 1080'] })} />);
    expect(await sizeRow()).toEqual(['42 MB', '3.37 MB']);
    expect(screen.getByRole('rowheader', { name: 'Picture' }).parentElement!.textContent).toContain('3840 × 2160');
  });

  it('leaves the source’s size out when the kept description does not have it', async () => {
    mockApi(inputInfo());
    render(<SourceFacts asset={makeAsset({ master_size: 3_370_000, master_changes: ['scaled to 1920 × 1080'] })} />);
    expect(await sizeRow()).toEqual(['–', '3.37 MB']);
  });

  /** A row as [source, master], or undefined when the table leaves it out. */
  const row = (label: string) => {
    const header = screen.queryByRole('rowheader', { name: label });
    return header ? [...header.parentElement!.querySelectorAll('td')].map((td) => td.textContent) : undefined;
  };

  const prores = {
    container_format: 'mov,mp4,m4a,3gp,3g2,mj2',
    size: 42_000_000,
    reel_name: 'A001',
    camera_make: 'Blackmagic Design',
    camera_model: 'Pocket Cinema Camera 6K',
    tracks: [
      { type: 'video', encoding: 'prores', profile: 'HQ', width: 3840, height: 2160, frame_rate: 25, pixel_format: 'yuv422p10le',
        bit_depth: 10, field_order: 'progressive', bit_rate: 707_000_000, color_primaries: 'bt709', color_transfer: 'bt709' },
      { type: 'audio', encoding: 'pcm_s24le', channels: 2, sample_rate: 48000, sample_size: 24 },
      { type: 'data', timecode: '01:00:00:00' },
    ],
  };

  it('fills the master’s column from the master’s own description', async () => {
    mockApi({
      'GET /video/v1/assets/a1/input-info': {
        body: {
          data: [
            {
              settings: { url: '/footage/A001.mov' },
              file: prores,
              master_file: {
                container_format: 'mov,mp4,m4a,3gp,3g2,mj2',
                size: 9_100_000,
                reel_name: 'A001',
                camera_make: 'Blackmagic Design',
                camera_model: 'Pocket Cinema Camera 6K',
                tracks: [
                  { type: 'video', encoding: 'hevc', profile: 'Rext', width: 3840, height: 2160, frame_rate: 25, pixel_format: 'yuv422p10le',
                    bit_depth: 10, field_order: 'progressive', bit_rate: 18_200_000, color_primaries: 'bt709', color_transfer: 'bt709', timecode: '01:00:00:00' },
                  { type: 'audio', encoding: 'alac', channels: 2, sample_rate: 48000, sample_size: 24 },
                ],
              },
            },
          ],
        },
      },
    });
    render(<SourceFacts asset={makeAsset({ master_size: 9_100_000, master_changes: ['ProRes video re-encoded to HEVC'], master_codecs: { video: 'hevc', audio: 'alac' } })} />);
    await screen.findByRole('rowheader', { name: 'Scan' });
    expect(row('Video')).toEqual(['ProRes 422 HQ', 'HEVC (H.265)']);
    expect(row('Bit depth, chroma')).toEqual(['10-bit 4:2:2', '10-bit 4:2:2']);
    expect(row('Colour')).toEqual(['SDR, BT.709', 'SDR, BT.709']);
    expect(row('Frame rate')?.[1]).toBe(row('Frame rate')?.[0]);
    expect(row('Scan')).toEqual(['Progressive', 'Progressive']);
    expect(row('Video bitrate')).toEqual(['707 Mb/s', '18 Mb/s']);
    expect(row('Audio')).toEqual(['PCM 24-bit, Stereo, 48 kHz', 'ALAC, Stereo, 48 kHz, 24-bit']);
    expect(row('Start timecode')).toEqual(['01:00:00:00', '01:00:00:00']);
    expect(row('Reel')).toEqual(['A001', 'A001']);
    expect(row('Camera')).toEqual(['Blackmagic Design Pocket Cinema Camera 6K', 'Blackmagic Design Pocket Cinema Camera 6K']);
  });

  it('keeps what the codecs say for a master built before it was described', async () => {
    mockApi({ 'GET /video/v1/assets/a1/input-info': { body: { data: [{ settings: { url: '/footage/A001.mov' }, file: prores }] } } });
    render(<SourceFacts asset={makeAsset({ master_size: 9_100_000, master_changes: ['ProRes video re-encoded to HEVC'], master_codecs: { video: 'hevc', audio: 'alac' } })} />);
    await screen.findByRole('rowheader', { name: 'Scan' });
    expect(row('Video')).toEqual(['ProRes 422 HQ', 'HEVC (H.265)']);
    expect(row('Bit depth, chroma')).toEqual(['10-bit 4:2:2', '–']);
    expect(row('Scan')).toEqual(['Progressive', '–']);
    expect(row('Reel')).toEqual(['A001', '–']);
  });

  it('leaves reel and camera out when the file names neither', async () => {
    mockApi(inputInfo(42_000_000));
    render(<SourceFacts asset={makeAsset({ master_size: 3_370_000, master_changes: [] })} />);
    await screen.findByRole('rowheader', { name: 'Size' });
    expect(row('Reel')).toBeUndefined();
    expect(row('Camera')).toBeUndefined();
  });

  /** Renders the table for one original described as `file` (no master description). */
  async function renderSource(file: object, asset = makeAsset({ master_size: 1_000_000, master_changes: [] })) {
    mockApi({ 'GET /video/v1/assets/a1/input-info': { body: { data: [{ settings: { url: '/footage/x' }, file }] } } });
    render(<SourceFacts asset={asset} />);
    await screen.findByRole('rowheader', { name: 'Container' });
  }

  it('says a master never probed by its codecs and track count, and "None" for a master without sound', async () => {
    const withSound = makeAsset({
      master_size: 1_000_000,
      master_changes: [],
      master_codecs: { video: 'h264', audio: 'aac' },
      tracks: [{ type: 'video' }, { type: 'audio' }, { type: 'audio' }] as never,
    });
    await renderSource(prores, withSound);
    expect(row('Audio')).toEqual(['PCM 24-bit, Stereo, 48 kHz', 'AAC, 2 tracks']);
  });

  it('names an MP4 an MP4, not MOV (ffprobe calls both "mov,mp4,…")', async () => {
    await renderSource({ container_format: 'mov,mp4,m4a,3gp,3g2,mj2', container: 'MP4', tracks: [] });
    expect(row('Container')).toEqual(['MP4', 'MP4']);
  });

  it('does not guess MOV for a QuickTime-family file described before the server named it', async () => {
    await renderSource({ container_format: 'mov,mp4,m4a,3gp,3g2,mj2', tracks: [] });
    expect(row('Container')?.[0]).toBe('MP4 / MOV');
  });

  it('says MPEG-2 and MP2, not ffprobe’s codec names', async () => {
    await renderSource({
      container_format: 'mpeg',
      tracks: [
        { type: 'video', encoding: 'mpeg2video', profile: 'Main', width: 720, height: 576 },
        { type: 'audio', encoding: 'mp2', channels: 2, sample_rate: 48000 },
      ],
    });
    expect(row('Container')?.[0]).toBe('MPEG-PS');
    expect(row('Video')?.[0]).toBe('MPEG-2 Main');
    expect(row('Audio')?.[0]).toBe('MP2, Stereo, 48 kHz');
  });

  it('says a phone’s picture is turned, as the master’s size in Details shows it', async () => {
    await renderSource({
      container_format: 'mov,mp4,m4a,3gp,3g2,mj2',
      container: 'MOV',
      tracks: [{ type: 'video', encoding: 'h264', width: 1920, height: 1080, rotation: 90 }],
    });
    expect(row('Picture')?.[0]).toBe('1920 × 1080, turned 90° right (plays 1080 × 1920)');
  });

  it('says an anamorphic picture’s pixels are not square, and the size it plays at', async () => {
    await renderSource({
      container_format: 'mov,mp4,m4a,3gp,3g2,mj2',
      container: 'MP4',
      tracks: [{ type: 'video', encoding: 'h264', width: 1440, height: 1080, pixel_aspect: '4:3' }],
    });
    expect(row('Picture')?.[0]).toBe('1440 × 1080, 4:3 pixels (plays 1920 × 1080)');
  });
});
