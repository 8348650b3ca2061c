import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';
import { listAllShareLinks, type ShareLink } from '../api/shareLinks';

export interface ShareLinkList {
  links: ShareLink[];
  loaded: boolean;
  error: string | null;
  reload: () => void;
  /** Puts the server's answer in place of the link (or first, when it is new). */
  replace: (link: ShareLink) => void;
}

/** How often an open list asks again, so download counts move while someone downloads. */
const REFRESH_MS = 30_000;

/** The share links of one asset, or of the whole library without `assetId`; loaded when shown, refreshed while shown. */
export function useShareLinks(assetId?: string): ShareLinkList {
  const [links, setLinks] = useState<ShareLink[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listAllShareLinks(assetId, controller.signal).then(
      (list) => {
        setLinks(list);
        setError(null);
        setLoaded(true);
      },
      (err) => {
        if (controller.signal.aborted) return;
        if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
        setLoaded(true);
      },
    );
    return () => controller.abort();
  }, [assetId, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const replace = useCallback((link: ShareLink) => {
    setLinks((current) => (current.some((l) => l.id === link.id) ? current.map((l) => (l.id === link.id ? link : l)) : [link, ...current]));
  }, []);
  return { links, loaded, error, reload, replace };
}
