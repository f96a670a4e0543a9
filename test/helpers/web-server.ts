/**
 * A free port for a test server. Probot's Server treats port 0 as "use
 * 3000", so a free port is found first (and a start that loses the race
 * to another process is retried on a new one by the caller).
 */
import { createServer } from "node:net";

/** A port nobody listens on right now (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("could not find a free port"))));
    });
  });
}
