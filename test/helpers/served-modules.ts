import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { networkInterfaces } from "node:os";
import { crc32, gzipSync } from "node:zlib";

/**
 * Dependencies served to setup the way a private registry serves them: an
 * HTTP server the test starts, on this host's own (non-loopback) address,
 * which the egress proxy refuses unless the operator allowlists it
 * (JULES_SETUP_ALLOW_HOSTS). Loopback cannot stand in: Go's and curl's HTTP
 * clients never send 127.0.0.1 or localhost through a proxy, and the
 * sandbox's own loopback is not the host's. Tests never have network, so a
 * green test run after setup proves setup's download stayed in the task's
 * HOME; `requests` shows what was fetched, and when.
 */

export interface ServedRegistry {
  /** e.g. http://192.0.2.2:41234 */
  url: string;
  /** host:port, for JULES_SETUP_ALLOW_HOSTS. */
  hostPort: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** What is served, by path (may be added to after the server started, e.g. files that name its URL). */
  files: Record<string, Buffer | string>;
  close(): Promise<void>;
}

/** This host's first non-internal IPv4 address; a machine without one cannot run these tests (they say so). */
export function hostAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  throw new Error("this machine has no non-loopback IPv4 address, which the served-registry tests need (setup reaches the registry through the egress proxy, never over loopback)");
}

export async function serveFiles(files: Record<string, Buffer | string>): Promise<ServedRegistry> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    const body = files[path];
    if (body === undefined) res.writeHead(404).end("not found\n");
    else res.writeHead(200, { "content-length": Buffer.byteLength(body) }).end(body);
  });
  const address = hostAddress();
  const port = await new Promise<number>((resolve) => server.listen(0, address, () => resolve((server.address() as { port: number }).port)));
  return { url: `http://${address}:${port}`, hostPort: `${address}:${port}`, requests, files, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A zip archive of `files`, stored (no compression), without directory entries: what Go's module zips are. */
export function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(0x00210000, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data);

/** Go's `h1:` hash (golang.org/x/mod/sumdb/dirhash Hash1) of named files. */
export function goH1(files: Record<string, string>): string {
  const summary = Object.keys(files)
    .sort()
    .map((name) => `${sha256(files[name]!).digest("hex")}  ${name}\n`)
    .join("");
  return `h1:${sha256(summary).digest("base64")}`;
}

/**
 * A Go module proxy (GOPROXY protocol) serving one version of one module, and
 * the go.sum lines a repository that requires it commits.
 */
export function goModuleProxy(module: string, version: string, files: Record<string, string>): { files: Record<string, Buffer | string>; goSum: string } {
  const goMod = files["go.mod"] ?? `module ${module}\n`;
  const zipped = Object.fromEntries(Object.entries({ ...files, "go.mod": goMod }).map(([name, content]) => [`${module}@${version}/${name}`, content]));
  const base = `/${module}/@v`;
  return {
    files: {
      [`${base}/list`]: `${version}\n`,
      [`${base}/${version}.info`]: JSON.stringify({ Version: version, Time: "2024-01-01T00:00:00Z" }),
      [`${base}/${version}.mod`]: goMod,
      [`${base}/${version}.zip`]: storedZip(zipped),
    },
    goSum: `${module} ${version} ${goH1(zipped)}\n${module} ${version}/go.mod ${goH1({ "go.mod": goMod })}\n`,
  };
}

/** A ustar archive of regular files (what a `.crate` holds before gzip). */
export function tarball(files: Record<string, string>): Buffer {
  const field = (header: Buffer, offset: number, length: number, text: string) => header.write(text, offset, length, "ascii");
  const parts: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const header = Buffer.alloc(512);
    field(header, 0, 100, name);
    field(header, 100, 8, "0000644\0");
    field(header, 108, 8, "0000000\0");
    field(header, 116, 8, "0000000\0");
    field(header, 124, 12, `${data.length.toString(8).padStart(11, "0")}\0`);
    field(header, 136, 12, "00000000000\0");
    field(header, 156, 1, "0");
    field(header, 257, 8, "ustar\u000000");
    header.fill(" ", 148, 156);
    const sum = header.reduce((total, byte) => total + byte, 0);
    field(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
    parts.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

/**
 * A Cargo sparse registry (as a company's private registry, or a crates.io
 * mirror) serving one version of one crate with no dependencies, at
 * `/index/` of the server; `source` is the .cargo/config.toml a repository
 * commits to take crates.io's crates from it.
 */
export function cargoSparseRegistry(name: string, version: string, files: Record<string, string>, base: string): { files: Record<string, Buffer | string>; source: string } {
  const crate = gzipSync(tarball(Object.fromEntries(Object.entries(files).map(([path, content]) => [`${name}-${version}/${path}`, content]))));
  const prefix = name.length <= 2 ? `${name.length}` : name.length === 3 ? `3/${name[0]}` : `${name.slice(0, 2)}/${name.slice(2, 4)}`;
  const entry = { name, vers: version, deps: [], cksum: sha256(crate).digest("hex"), features: {}, yanked: false };
  return {
    files: {
      "/index/config.json": JSON.stringify({ dl: `${base}/dl/{crate}/{version}.crate` }),
      [`/index/${prefix}/${name}`]: `${JSON.stringify(entry)}\n`,
      [`/dl/${name}/${version}.crate`]: crate,
    },
    source: `[source.crates-io]\nreplace-with = "company"\n\n[source.company]\nregistry = "sparse+${base}/index/"\n`,
  };
}
