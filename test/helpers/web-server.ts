/**
 * The real web server of an OpenJules process, started the way src/main.ts
 * starts it (Probot's `Server` with the runtime's Probot class and the app
 * loaded into it), on 127.0.0.1 and a free port. Probot's Server treats port
 * 0 as "use 3000", so a free port is found first; if another process takes it
 * in between, the start is retried on a new one.
 */
import { createServer } from "node:net";
import type { Logger } from "pino";
import { Server } from "probot";
import { julesApp } from "../../src/app.ts";
import type { Runtime } from "../../src/runtime.ts";

export interface WebServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Where GitHub delivers webhooks: origin + the webhook path. */
  webhookUrl: string;
  stop(): Promise<void>;
}

export async function startWebServer(runtime: Runtime, log: Logger, webhookPath = "/api/github/webhooks"): Promise<WebServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = new Server({ Probot: runtime.ProbotClass, host: "127.0.0.1", port, webhookPath, log: log as never });
    await server.load(julesApp(runtime.intake));
    try {
      await server.start();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE" && attempt < 5) continue;
      throw error;
    }
    const origin = `http://127.0.0.1:${server.port}`;
    return { server, origin, webhookUrl: `${origin}${webhookPath}`, stop: () => server.stop() };
  }
}

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
