// Source and master side by side for a camera original: ProRes 422 HQ 10-bit 4:2:2 with 24-bit
// PCM stereo, a start timecode and a recording date, in a MOV (1 s at 640×360, made by ffmpeg).
// MP4 cannot hold ProRes or PCM, so the master changes both: the panel must say so in words,
// and the master (downloaded through the API's link, probed with ffprobe) must keep every
// stream, the timecode and the date.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { addByPath, download, probe, run, screenshots, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

const RECORDED = '2026-05-04T09:30:00Z';

test('a ProRes clip: the source facts, what the master became and why, and the master keeps every stream', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = join(server.dir, 'A001_C003 interview.mov');
    // prettier-ignore
    await run('ffmpeg', [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '1', '-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le',
      '-c:a', 'pcm_s24le', '-ac', '2',
      '-timecode', '01:00:00:00', '-metadata', `creation_time=${RECORDED}`,
      // The reel rides on the timecode track ffmpeg makes from the video stream; the camera is
      // Apple's QuickTime keys, as cameras write them.
      '-metadata:s:v:0', 'reel_name=A001', '-metadata', 'com.apple.quicktime.make=Blackmagic Design',
      '-metadata', 'com.apple.quicktime.model=Pocket Cinema Camera 6K', '-movflags', 'use_metadata_tags', clip,
    ]);
    const source = await probe(clip);
    assert.deepEqual(
      source.streams.map((s) => s.codec_name ?? s.codec_tag_string),
      ['prores', 'pcm_s24le', 'tmcd'],
      'the test clip is ProRes, 24-bit PCM and a timecode track',
    );

    await (await addByPath(page, clip, 'A001_C003 interview')).click();

    const detail = page.getByRole('complementary', { name: 'Video details' });
    const facts = detail.locator('table.source-facts');
    await facts.waitFor();
    /** A row of the table as [source, master]. */
    const row = async (label) => {
      const r = facts.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
      await waitUntil(`the "${label}" row`, async () => (await r.count()) === 1);
      return r.locator('td').allInnerTexts();
    };

    const [srcVideo, masterVideo] = await row('Video');
    assert.equal(srcVideo, 'ProRes 422 HQ', 'the source codec with its profile, as editors name it');
    assert.equal(masterVideo, 'HEVC (H.265)');
    assert.deepEqual(await row('Container'), ['MOV', 'MP4']);
    assert.deepEqual(await row('Picture'), ['640 × 360', '640 × 360']);
    assert.deepEqual(await row('Bit depth, chroma'), ['10-bit 4:2:2', '10-bit 4:2:2'], 'the master, probed, kept both');
    assert.deepEqual(await row('Frame rate'), ['25 fps', '25 fps']);
    assert.deepEqual(await row('Scan'), ['Progressive', 'Progressive']);
    const [srcRate, masterRate] = await row('Video bitrate');
    assert.match(srcRate, /^[\d.]+ Mb\/s$/, `the ProRes bitrate: ${srcRate}`);
    assert.match(masterRate, /^[\d.]+ Mb\/s$/, `the HEVC master's: ${masterRate}`);
    assert.deepEqual(await row('Reel'), ['A001', 'A001'], 'the reel name from the timecode track, kept in the master');
    const camera = 'Blackmagic Design Pocket Cinema Camera 6K';
    assert.deepEqual(await row('Camera'), [camera, camera]);
    const [srcAudio, masterAudio] = await row('Audio');
    assert.equal(srcAudio, 'PCM 24-bit, Stereo, 48 kHz', 'the source audio: codec and bits, channels, rate');
    assert.equal(masterAudio, 'ALAC, Stereo, 48 kHz, 24-bit', 'the master audio as probed: still 24-bit');
    assert.deepEqual(await row('Start timecode'), ['01:00:00:00', '01:00:00:00'], 'the timecode, kept in the master');
    const [srcSize, masterSize] = await row('Size');
    assert.match(srcSize, /^[\d.]+ MB$/, `the ProRes original's size: ${srcSize}`);
    assert.match(masterSize, /^[\d.]+ KB$/, `the HEVC master's, far smaller: ${masterSize}`);
    const [srcRecorded, masterRecorded] = await row('Recorded');
    const expected = await page.evaluate(
      (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
      RECORDED,
    );
    assert.equal(srcRecorded, expected, 'the recording date from the camera');
    assert.equal(masterRecorded, expected, 'kept in the master');

    // How the master was made, then every change in words, with its reason.
    const madeBy = detail.locator('.fact').filter({ has: page.locator('dt', { hasText: /^Master made by$/ }) }).locator('dd');
    assert.match(await madeBy.innerText(), /^Transcode: re-encoded, at most 4K \(balanced\)\nProRes cannot be stored in MP4\./);
    const changes = detail.getByRole('list', { name: 'Changed from the original' });
    const said = await changes.locator('li').allInnerTexts();
    assert.equal(said.length, 2, `two changes: ${said.join(' | ')}`);
    assert.match(said[0], /^ProRes video re-encoded to HEVC 4:2:2 10-bit, because MP4 cannot hold ProRes\.$/);
    assert.match(said[1], /^PCM 24-bit kept lossless as ALAC\.$/);
    // The master is for keeping, not always for a browser: when this browser cannot play it, the
    // server makes a small H.264 + AAC copy after the master, and the player plays that, with no
    // proxy made by hand (and none listed for API clients).
    const player = detail.locator('video');
    const hevcHere = await player.evaluate((v) => v.canPlayType('video/mp4; codecs="hvc1.4.10.L93.B0"') !== '');
    if (hevcHere) {
      await waitUntil('the master to load in the player', () => player.evaluate((v) => v.readyState >= 1));
    } else {
      await waitUntil('the player to take the playback copy', async () => /^Playback copy of/.test((await player.getAttribute('aria-label')) ?? ''), {
        timeoutMs: 60_000,
      });
      await waitUntil('the copy to load here', () => player.evaluate((v) => v.readyState >= 2 && !v.error && v.duration > 0.5));
      await player.evaluate((v) => {
        v.muted = true;
        return v.play();
      });
      await waitUntil('the copy to play (the playhead moves)', () => player.evaluate((v) => v.currentTime > 0.2 && !v.error));
      await player.evaluate((v) => v.pause());
      assert.equal(await detail.getByText(/cannot play/).count(), 0, 'no "cannot play" message');
      assert.equal(await detail.getByText(/Preparing a copy/).count(), 0, 'no "preparing" message once it plays');
      const { data: listed } = await server.api('GET', '/video/v1/assets');
      assert.deepEqual(listed[0].static_renditions?.files ?? [], [], 'no proxy was made for it');
      await screenshots(page, 'source-master-prores-player', player);
    }
    await screenshots(page, 'source-master-prores-table', facts);
    await screenshots(page, 'source-master-prores-changes', changes);

    // The master itself, as an API client gets it: every stream there, as the panel says.
    const { data: assets } = await server.api('GET', '/video/v1/assets');
    assert.equal(assets.length, 1);
    const { id } = assets[0];
    await server.api('PUT', `/video/v1/assets/${id}/master-access`, { master_access: 'temporary' });
    const url = await waitUntil('the master download link', async () => {
      const { data } = await server.api('GET', `/video/v1/assets/${id}`);
      return data.master?.status === 'ready' && data.master.url;
    });
    const masterPath = join(server.dir, 'master.mp4');
    assert.equal((await download(url, masterPath)).status, 200);
    const master = await probe(masterPath);
    const byType = (type) => master.streams.filter((s) => s.codec_type === type);
    assert.equal(byType('video').length, 1);
    assert.equal(byType('audio').length, 1);
    const [video] = byType('video');
    assert.equal(video.codec_name, 'hevc');
    assert.equal(video.pix_fmt, 'yuv422p10le', 'still 10-bit 4:2:2, as the change list says');
    const [audio] = byType('audio');
    assert.equal(audio.codec_name, 'alac');
    assert.equal(audio.channels, 2);
    assert.equal(Number(audio.bits_per_raw_sample), 24, 'lossless: still 24-bit');
    const timecodes = master.streams.filter((s) => s.tags?.timecode).map((s) => s.tags.timecode);
    assert.ok(timecodes.length > 0 && timecodes.every((tc) => tc === '01:00:00:00'), `the master's timecode: ${timecodes}`);
    assert.equal(Date.parse(master.format.tags?.creation_time), Date.parse(RECORDED), 'the recording date kept');
  });
});
