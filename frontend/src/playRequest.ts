// "Play" from the library (Space on a card, the context menu): the panel opens and its player
// starts at once. A one-shot note the player takes when it mounts for that asset.
let pending: string | null = null;

export function requestPlay(assetId: string): void {
  pending = assetId;
}

/** Whether the user asked to play this asset; asking again needs a new request. */
export function takePlayRequest(assetId: string): boolean {
  if (pending !== assetId) return false;
  pending = null;
  return true;
}
