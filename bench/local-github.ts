/**
 * A stand-in for GitHub's REST API on 127.0.0.1, for the acknowledgement
 * benchmark. It answers the few calls a Probot app makes when it handles a
 * comment (installation token, collaborator permission, reaction, the app's
 * own identity), each after a fixed delay that models GitHub's latency, and
 * counts every request so the benchmark can show that acknowledging a
 * webhook made none. Paths are GitHub Enterprise style (`/api/v3/...`), so
 * both servers reach it through their GitHub base URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface LocalGitHub {
  /** REST base URL, `http://127.0.0.1:<port>/api/v3`. */
  baseUrl: string;
  /** `host:port`, the form of the GHE_HOST setting. */
  host: string;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
};

function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/^\/api\/v3/, "");
  const method = req.method ?? "GET";
  if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
    return json(res, 201, {
      token: "ghs_local_bench_token",
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: { issues: "write" },
      repository_selection: "all",
    });
  }
  const permission = /^\/repos\/[^/]+\/[^/]+\/collaborators\/([^/]+)\/permission$/.exec(path);
  if (method === "GET" && permission) {
    return json(res, 200, { permission: "write", role_name: "write", user: { login: decodeURIComponent(permission[1]!), type: "User" } });
  }
  if (method === "POST" && /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+\/reactions$/.test(path)) {
    return json(res, 201, { id: 1, content: "eyes", created_at: new Date().toISOString() });
  }
  if (method === "GET" && path === "/app") return json(res, 200, { id: 1, slug: "openjules-bench", name: "OpenJules bench" });
  return json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
}

export function startLocalGitHub(delayMs: number): Promise<LocalGitHub> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    req.resume(); // bodies are not needed, but must be read
    req.on("end", () => setTimeout(() => answer(req, res), delayMs));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (!address || typeof address === "string") return reject(new Error("the local GitHub has no port"));
      const host = `127.0.0.1:${address.port}`;
      resolve({
        baseUrl: `http://${host}/api/v3`,
        host,
        requests: () => count,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
