/**
 * WAV files (RIFF/WAVE with a PCM `fmt ` chunk and a `data` chunk): what a
 * header says, enough to tell that an engine wrote a playable file and how
 * long it plays, and the lengths of a file written to a pipe. Pure.
 */
export interface WavInfo {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes of sound (the `data` chunk's size as the header gives it). */
  dataBytes: number;
  durationMs: number;
}

interface Chunk {
  tag: string;
  /** Offset of the chunk's 8-byte header. */
  at: number;
  size: number;
}

const tagAt = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

/** The chunks after the RIFF/WAVE header, in order; null when the bytes are not RIFF/WAVE. */
function chunks(bytes: Uint8Array): Chunk[] | null {
  if (bytes.length < 44 || tagAt(bytes, 0) !== "RIFF" || tagAt(bytes, 8) !== "WAVE") return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: Chunk[] = [];
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    found.push({ tag: tagAt(bytes, at), at, size });
    if (found.at(-1)!.tag === "data") break;
    at += 8 + size + (size % 2);
  }
  return found;
}

export function wavInfo(bytes: Uint8Array): WavInfo | null {
  const list = chunks(bytes);
  const fmt = list?.find((c) => c.tag === "fmt " && c.size >= 16 && c.at + 24 <= bytes.length);
  const data = list?.find((c) => c.tag === "data");
  // A header written before the length was known (to a pipe) claims more than the file holds.
  if (!fmt || !data || data.at + 8 + data.size > bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const body = fmt.at + 8;
  const byteRate = view.getUint32(body + 8, true);
  if (byteRate === 0) return null;
  return {
    channels: view.getUint16(body + 2, true),
    sampleRate: view.getUint32(body + 4, true),
    bitsPerSample: view.getUint16(body + 14, true),
    dataBytes: data.size,
    durationMs: Math.round((data.size / byteRate) * 1000),
  };
}

/**
 * The file with its RIFF and `data` lengths set from the bytes it holds: an
 * engine writing to a pipe (`--stdout`) cannot seek back, so its header
 * claims an unknown length. Null when there is no `data` chunk.
 */
export function withLengths(bytes: Uint8Array): Uint8Array | null {
  const data = chunks(bytes)?.find((c) => c.tag === "data");
  if (!data) return null;
  // A copy, as a plain Uint8Array (a Buffer's slice would share the engine's bytes).
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  view.setUint32(data.at + 4, out.length - (data.at + 8), true);
  view.setUint32(4, out.length - 8, true);
  return out;
}
