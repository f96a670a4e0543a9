import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createApiHandler } from "../../src/api/handler.ts";
import type { Task } from "../../src/domain/model.ts";
import { createOps } from "../../src/ops/create-ops.ts";
import { type Harness, startHarness, taskIn } from "../tasks/control/harness.ts";

const TOKEN = "operator-token-0123456789";

describe("/api/tasks next to /api/v1", () => {
  let h: Harness;
  let server: Server;
  let origin: string;
  let task: Task;
  const get = (path: string) => fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  beforeAll(async () => {
    h = await startHarness();
    const log = pino({ level: "silent" });
    const ops = createOps({ store: h.deps.store, queue: h.app.queue, dataDir: h.app.dataDir, apiToken: TOKEN, log });
    const api = createApiHandler({ control: h.plane, access: { operatorToken: TOKEN, tokens: null }, log });
    // As the web server chains its handlers: the first that owns the path answers.
    server = createServer(async (req, res) => {
      if (!(await api(req, res)) && !(await ops.handler(req, res))) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    task = await taskIn(h, "awaiting_approval");
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await h.close();
  });

  it("keeps answering the old read-only shapes, for a task without an issue too", async () => {
    const list = (await (await get("/api/tasks")).json()) as { tasks: { id: string; issueNumber: number | null }[] };
    assert.equal(list.tasks.length, 1);
    assert.deepEqual([list.tasks[0]!.id, list.tasks[0]!.issueNumber], [task.id, null]);
    const detail = (await (await get(`/api/tasks/${task.id}`)).json()) as { links: { issue: string | null; plan: string | null }; transcript: unknown };
    assert.deepEqual(detail.links, { issue: null, plan: null, pullRequest: null });
    assert.equal(detail.transcript, null);
    const v1 = (await (await get(`/api/v1/tasks/${task.id}`)).json()) as { task: Task };
    assert.equal(v1.task.id, task.id);
  });
});
