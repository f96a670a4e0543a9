import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { configPath, remoteTarget } from "../../src/ops/cli/remote-config.ts";

describe("where remote commands go (--server, JULES_SERVER_URL, the config file)", () => {
  let home: string;
  let file: string;
  const write = async (text: string, mode = 0o600) => {
    await rm(file, { force: true });
    await writeFile(file, text, { mode });
  };
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "jules-config-"));
    await mkdir(join(home, ".config", "openjules"), { recursive: true });
    file = join(home, ".config", "openjules", "config.json");
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it("is this machine without a server anywhere; the flag wins over the variable, which wins over the file", async () => {
    assert.equal(remoteTarget({ HOME: home }, undefined), null);
    await write(JSON.stringify({ server: "https://file.example", token: "file-token" }));
    assert.deepEqual(remoteTarget({ HOME: home }, undefined), { server: "https://file.example", token: "file-token" });
    assert.deepEqual(remoteTarget({ HOME: home, JULES_SERVER_URL: "https://env.example/", JULES_API_TOKEN: "env-token" }, undefined), {
      server: "https://env.example",
      token: "env-token",
    });
    assert.equal(remoteTarget({ HOME: home, JULES_SERVER_URL: "https://env.example" }, "http://flag.example:3000/base/")?.server, "http://flag.example:3000/base");
  });

  it("XDG_CONFIG_HOME moves the file", () => {
    assert.equal(configPath({ HOME: "/home/a", XDG_CONFIG_HOME: "/etc/xdg-a" }), "/etc/xdg-a/openjules/config.json");
    assert.equal(configPath({ HOME: "/home/a" }), "/home/a/.config/openjules/config.json");
    assert.equal(configPath({}), null);
  });

  it("refuses what it cannot use, saying what to write instead", async () => {
    assert.throws(() => remoteTarget({}, "jules.example.com"), /^CliError: The server "jules.example.com" is not a URL; give it as --server https:\/\/jules\.example\.com/);
    assert.throws(() => remoteTarget({}, "ftp://jules.example.com"), /must start with https:\/\/ or http:\/\//);
    await write("{server:");
    assert.throws(() => remoteTarget({ HOME: home }, undefined), new RegExp(`${file} is not JSON; write it as \\{"server"`));
    await write(JSON.stringify({ server: 3 }));
    assert.throws(() => remoteTarget({ HOME: home }, undefined), /"server" and "token" must be strings/);
    await write(JSON.stringify({ server: "https://a.example", token: "t" }), 0o640);
    assert.throws(() => remoteTarget({ HOME: home }, undefined), new RegExp(`holds a token and is readable by others; make it private with: chmod 600 ${file}`));
    await write(JSON.stringify({ server: "https://a.example" }), 0o644);
    assert.deepEqual(remoteTarget({ HOME: home }, undefined), { server: "https://a.example", token: null });
  });
});
