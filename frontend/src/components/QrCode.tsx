import qrcode from 'qrcode-generator';
import { useMemo } from 'preact/hooks';

const QUIET_ZONE = 2; // modules of white around the code, so phone cameras find its edges

/**
 * A QR code drawn as an SVG in the page: made locally from the text, nothing is fetched.
 * Dark modules become one path (a run of modules per row segment) to keep the DOM small.
 */
export function QrCode({ value, label, size = 176 }: { value: string; label: string; size?: number }) {
  const code = useMemo(() => qrPath(value), [value]);
  if (!code) return null;
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${code.modules} ${code.modules}`}
      shape-rendering="crispEdges"
      data-qr-text={value}
    >
      <rect width={code.modules} height={code.modules} fill="#fff" />
      <path d={code.path} fill="#000" />
    </svg>
  );
}

export function qrPath(value: string): { path: string; modules: number } | undefined {
  try {
    const qr = qrcode(0, 'M');
    // The library writes one byte per character: hand it the UTF-8 bytes as such characters.
    qr.addData(utf8AsBinary(value), 'Byte');
    qr.make();
    const count = qr.getModuleCount();
    let path = '';
    for (let row = 0; row < count; row++) {
      let col = 0;
      while (col < count) {
        if (!qr.isDark(row, col)) {
          col++;
          continue;
        }
        const start = col;
        while (col < count && qr.isDark(row, col)) col++;
        path += `M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h-${col - start}z`;
      }
    }
    return { path, modules: count + QUIET_ZONE * 2 };
  } catch {
    return undefined; // longer than a QR code holds: the link is still there to copy
  }
}

function utf8AsBinary(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}
