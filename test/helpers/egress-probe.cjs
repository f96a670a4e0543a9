// Network probe run inside (and outside) the sandbox by the setup-network tests.
// Usage: node egress-probe.cjs '<JSON list of probes>'; prints one JSON object: { "<name>": result }.
// A probe is { name, mode: "direct" | "connect" | "http", host, port, send? }:
// - direct: a TCP connection straight to host:port (then `send`, and the first reply bytes);
// - connect: a CONNECT tunnel through the proxy named by HTTPS_PROXY (then `send` through it);
// - http: an absolute-URI GET http://host:port/ through the proxy named by HTTP_PROXY.
"use strict";
const net = require("node:net");

const TIMEOUT_MS = 4000;

function finish(resolve, socket, result) {
  socket.destroy();
  resolve(result);
}

function talk(socket, send, resolve, extra = {}) {
  let reply = "";
  if (send) socket.write(send);
  socket.on("data", (d) => {
    reply += d;
  });
  setTimeout(() => finish(resolve, socket, { open: true, reply, ...extra }), 600);
}

function direct(p) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: p.host, port: p.port });
    socket.setTimeout(TIMEOUT_MS, () => finish(resolve, socket, { open: false, error: "timeout" }));
    socket.on("error", (e) => finish(resolve, socket, { open: false, error: e.code || e.message }));
    socket.on("connect", () => talk(socket, p.send, resolve));
  });
}

function proxyAddress(name) {
  const value = process.env[name];
  if (!value) return null;
  const url = new URL(value);
  return { host: url.hostname, port: Number(url.port) };
}

function viaProxy(p) {
  const proxy = proxyAddress(p.mode === "connect" ? "HTTPS_PROXY" : "HTTP_PROXY");
  if (!proxy) return Promise.resolve({ open: false, error: "no proxy in the environment" });
  return new Promise((resolve) => {
    const socket = net.connect(proxy);
    const target = p.host.includes(":") ? `[${p.host}]:${p.port}` : `${p.host}:${p.port}`;
    socket.setTimeout(TIMEOUT_MS, () => finish(resolve, socket, { open: false, error: "timeout" }));
    socket.on("error", (e) => finish(resolve, socket, { open: false, error: e.code || e.message }));
    socket.on("connect", () => {
      if (p.mode === "connect") socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
      else socket.write(`GET http://${target}${p.path || "/"} HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n`);
    });
    let head = "";
    const settle = () => {
      const end = head.indexOf("\r\n\r\n");
      const status = Number(head.slice(9, 12)) || null;
      finish(resolve, socket, { open: status === 200, status, body: end < 0 ? head : head.slice(end + 4) });
    };
    const onData = (d) => {
      head += d;
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const status = Number(head.slice(9, 12));
      if (p.mode === "connect" && status === 200) {
        socket.off("data", onData);
        talk(socket, p.send, resolve, { status });
        return;
      }
      setTimeout(settle, 600);
    };
    socket.on("data", onData);
    socket.on("end", () => {
      if (!(p.mode === "connect" && head.startsWith("HTTP/1.1 200"))) settle();
    });
  });
}

async function main() {
  const probes = JSON.parse(process.argv[2]);
  const results = await Promise.all(probes.map((p) => (p.mode === "direct" ? direct(p) : viaProxy(p))));
  const out = {};
  probes.forEach((p, i) => {
    out[p.name] = results[i];
  });
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
