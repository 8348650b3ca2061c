import { request } from './client';

/** One track of the original, as input-info lists it (Mux's fields, then Reelvault's own). */
export interface InputTrack {
  type: string;
  duration?: number;
  encoding?: string;
  width?: number;
  height?: number;
  frame_rate?: number;
  sample_rate?: number;
  sample_size?: number;
  channels?: number;
  language_code?: string;
  profile?: string;
  pixel_format?: string;
  bit_depth?: number;
  color_primaries?: string;
  color_transfer?: string;
  field_order?: string;
  bit_rate?: number;
  timecode?: string;
  /** Reelvault's own: the clockwise turn a player gives the picture (90: a phone held upright). */
  rotation?: number;
  /** Reelvault's own: the shape of a non-square pixel ("4:3" in anamorphic HDV); absent when square. */
  pixel_aspect?: string;
}

export interface InputFile {
  container_format: string;
  /** Reelvault's own: the format as editors name it ("MP4", "MOV"); absent in older descriptions. */
  container?: string;
  tracks: InputTrack[];
  /** Reelvault's own: the original's bytes when it was probed (absent for assets probed before it was kept). */
  size?: number;
  /** Reelvault's own, when the file's tags say: the reel (tape or card) and the camera. */
  reel_name?: string;
  camera_make?: string;
  camera_model?: string;
}

/** The original and the master, each as ffprobe described it (null: not described). */
export interface SourceAndMaster {
  file: InputFile | null;
  /** The master as probed once written; null for masters made before Reelvault kept that. */
  master: InputFile | null;
}

/** The original and the master in one input-info request. */
export async function getSourceAndMaster(id: string, signal?: AbortSignal): Promise<SourceAndMaster> {
  const answer = await request<{ data: { file?: InputFile; master_file?: InputFile }[] }>(
    'GET',
    `/video/v1/assets/${encodeURIComponent(id)}/input-info`,
    { signal },
  );
  const entry = answer.data?.[0];
  return { file: entry?.file ?? null, master: entry?.master_file ?? null };
}

/** The original as it was probed at ingest; null before it has been probed. */
export async function getInputFile(id: string, signal?: AbortSignal): Promise<InputFile | null> {
  return (await getSourceAndMaster(id, signal)).file;
}

/** The start timecode of the original: on its video track or its timecode (tmcd) track. */
export function startTimecode(file: InputFile | null): string | undefined {
  return file?.tracks.find((t) => t.type === 'video' && t.timecode)?.timecode ?? file?.tracks.find((t) => t.timecode)?.timecode;
}
