/**
 * Makes grammar `.wasm` files built by tree-sitter-cli 0.20 (emscripten 2,
 * e.g. the `tree-sitter-wasms` 0.1.x package) loadable by web-tree-sitter
 * 0.26 and later. Those builds start with the legacy `dylink` custom section;
 * the newer runtime only reads its successor `dylink.0` (emscripten's
 * DynamicLinking.md documents both) and fails with "need dylink section". The
 * two carry the same facts: memory size and alignment, table size and
 * alignment, and the needed libraries. This rewrites the first section into
 * the `dylink.0` form (subsection 1 = memory info, 2 = needed) and leaves the
 * rest of the module untouched; modules already in the new form, or without a
 * dylink section, are returned as they are.
 */

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let offset = at;
  for (;;) {
    const byte = bytes[offset++];
    if (byte === undefined || shift > 28) throw new Error("malformed wasm module: bad LEB128 number in the dylink section");
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, offset];
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

function subsection(type: number, payload: number[]): number[] {
  return [type, ...leb(payload.length), ...payload];
}

export function upgradeLegacyDylink(module: Uint8Array): Uint8Array {
  if (module.length < 10 || MAGIC.some((b, i) => module[i] !== b)) throw new Error("not a WebAssembly module (bad magic number or version)");
  if (module[8] !== 0) return module;
  const [size, afterSize] = readLeb(module, 9);
  const end = afterSize + size;
  const [nameLength, afterNameLength] = readLeb(module, afterSize);
  const name = new TextDecoder().decode(module.subarray(afterNameLength, afterNameLength + nameLength));
  if (name !== "dylink" || end > module.length) return module;

  let at = afterNameLength + nameLength;
  const memInfo: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [value, next] = readLeb(module, at);
    memInfo.push(...leb(value));
    at = next;
  }
  const needed = Array.from(module.subarray(at, end));
  const hasNeeded = needed.length > 0 && needed[0] !== 0;
  const sectionName = Array.from(new TextEncoder().encode("dylink.0"));
  const payload = [...leb(sectionName.length), ...sectionName, ...subsection(1, memInfo), ...(hasNeeded ? subsection(2, needed) : [])];
  const header = [0, ...leb(payload.length), ...payload];

  const out = new Uint8Array(8 + header.length + (module.length - end));
  out.set(module.subarray(0, 8), 0);
  out.set(header, 8);
  out.set(module.subarray(end), 8 + header.length);
  return out;
}
