import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, it } from "vitest";
import { git, gitBytes, GitError } from "../../src/workspace/git.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * What callers rely on from git(), now that simple-git runs it: binary stdin
 * and stdout, the exit code of a command that prints nothing, the deadline,
 * cancellation and the output cap.
 */

const BYTES = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256));
const blobId = (data: Buffer) =>
  createHash("sha1")
    .update(Buffer.concat([Buffer.from(`blob ${data.length}\0`), data]))
    .digest("hex");

describe("workspace git: the runner", () => {
  let repo: string;
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    repo = await tempDir("openjules-git-run-");
    await git(["init", "--quiet", "--bare", repo], { cwd: repo });
    silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/acme/widget.git`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("binary stdin and stdout: hash-object --stdin writes the exact bytes, cat-file --batch returns them", async () => {
    const id = (await git(["hash-object", "-w", "--stdin"], { cwd: repo, input: BYTES })).stdout.trim();
    assert.equal(id, blobId(BYTES));
    const { stdout } = await gitBytes(["cat-file", "--batch"], { cwd: repo, input: `${id}\n${"0".repeat(40)}\n` });
    const header = `${id} blob ${BYTES.length}\n`;
    assert.deepEqual(stdout.subarray(0, header.length).toString(), header);
    assert.ok(stdout.subarray(header.length, header.length + BYTES.length).equals(BYTES));
    assert.equal(stdout.subarray(header.length + BYTES.length).toString(), `\n${"0".repeat(40)} missing\n`);
  });

  it("a command that fails without a word on stderr still rejects, with its exit code", async () => {
    const error = await git(["rev-parse", "--verify", "--quiet", "refs/heads/none"], { cwd: repo }).catch((e: unknown) => e);
    assert.ok(error instanceof GitError, String(error));
    assert.equal(error.exitCode, 1);
    assert.equal(error.stderr, "");
    assert.match(error.message, /failed with exit code 1/);
  });

  it("empty input is refused at once rather than leaving git waiting for stdin", async () => {
    const error = await git(["hash-object", "--stdin"], { cwd: repo, input: "" }).catch((e: unknown) => e);
    assert.ok(error instanceof GitError && /was refused: empty input/.test(error.message), String(error));
    assert.equal(error.exitCode, null);
  });

  it("the deadline stops a command whose server never answers", async () => {
    const error = await git(["ls-remote", silentUrl], { cwd: repo, timeoutMs: 300 }).catch((e: unknown) => e);
    assert.ok(error instanceof GitError, String(error));
    assert.match(error.message, /was stopped \(timeout 300 ms or cancelled\)/);
    assert.equal(error.exitCode, null); // stopped: git itself would wait on the server without end
  });

  it("cancellation stops a running command, and an already cancelled one never starts", async () => {
    const controller = new AbortController();
    const running = git(["ls-remote", silentUrl], { cwd: repo, signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 200);
    assert.match(String(await running), /was stopped/);
    assert.match(String(await git(["status"], { cwd: repo, signal: controller.signal }).catch((e: unknown) => e)), /was stopped/);
  });

  it("output past maxBuffer stops git, and the error says maxBuffer", async () => {
    const id = (await git(["hash-object", "-w", "--stdin"], { cwd: repo, input: Buffer.alloc(1024 * 1024, 97) })).stdout.trim();
    const error = await git(["cat-file", "blob", id], { cwd: repo, maxBuffer: 64 * 1024 }).catch((e: unknown) => e);
    assert.ok(error instanceof GitError, String(error));
    assert.match(error.message, /stdout maxBuffer length exceeded/);
    assert.equal((await git(["cat-file", "blob", id], { cwd: repo })).stdout.length, 1024 * 1024);
  });

  it("a directory that does not exist is a GitError", async () => {
    const error = await git(["status"], { cwd: `${repo}/missing` }).catch((e: unknown) => e);
    assert.ok(error instanceof GitError && /no such directory/.test(error.message), String(error));
  });
});
