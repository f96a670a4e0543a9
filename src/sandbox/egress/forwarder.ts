/**
 * The in-sandbox half of setup's network path, as bubblewrap arguments (pure).
 * The sandbox keeps its own network namespace (only its loopback); the
 * egress proxy's Unix socket is bound in at EGRESS_SOCKET, and a small
 * forwarder run by the app's own Node binary (bound read-only, so no socat is
 * needed on the host) listens on 127.0.0.1:<free port> inside, pipes every
 * connection to that socket, and starts the setup command with the proxy
 * variables pointing at it. The forwarder is repository-controllable (setup
 * may kill or replace it): it grants nothing, every decision is the proxy's.
 */

export interface EgressMount {
  /** Host path of the proxy's Unix socket. */
  socket: string;
  /** Host path of a Node binary the sandbox may run (the app's own). */
  node: string;
}

export const EGRESS_DIR = "/run/openjules";
export const EGRESS_SOCKET = `${EGRESS_DIR}/egress.sock`;
const NODE = `${EGRESS_DIR}/node`;
const SCRIPT = `${EGRESS_DIR}/forwarder.cjs`;

/** Variables that point package managers and HTTP clients at the proxy (npm, pip, cargo, go, curl, git, yarn). */
export const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "http_proxy",
  "https_proxy",
  "ALL_PROXY",
  "all_proxy",
  "npm_config_proxy",
  "npm_config_https_proxy",
  "YARN_HTTP_PROXY",
  "YARN_HTTPS_PROXY",
];
const NO_PROXY = "localhost,127.0.0.1,::1";

export const FORWARDER_SOURCE = `"use strict";
const net = require("node:net");
const { spawn } = require("node:child_process");
const { constants } = require("node:os");
const [socketPath, ...command] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
  client.pipe(upstream).pipe(client);
});
server.on("error", (error) => { console.error("OpenJules egress forwarder: " + error.message); process.exit(125); });
server.listen(0, "127.0.0.1", () => {
  const url = "http://127.0.0.1:" + server.address().port;
  const env = { ...process.env, NO_PROXY: ${JSON.stringify(NO_PROXY)}, no_proxy: ${JSON.stringify(NO_PROXY)} };
  for (const name of ${JSON.stringify(PROXY_VARIABLES)}) env[name] = url;
  const child = spawn(command[0], command.slice(1), { stdio: "inherit", env });
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (error) => { console.error(error.message); process.exit(127); });
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] || 0)));
});
`;

/** Mounts for the forwarder; `fd` is the descriptor that carries FORWARDER_SOURCE. */
export function egressMountArgs(egress: EgressMount, fd: number): string[] {
  return ["--ro-bind", egress.node, NODE, "--ro-bind", egress.socket, EGRESS_SOCKET, "--ro-bind-data", String(fd), SCRIPT];
}

/** What runs the command inside: the forwarder, which then runs it. */
export function egressCommandPrefix(): string[] {
  return [NODE, SCRIPT, EGRESS_SOCKET];
}
