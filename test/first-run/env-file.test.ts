import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { envValue, mergeEnvText, writeEnvFile } from "../../src/first-run/env-file.ts";
import { testPrivateKey } from "../helpers/keys.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "oj-env-"));
  dirs.push(d);
  return d;
};

describe(".env writing", () => {
  it("replaces each variable's line and its later duplicates, appends the new ones, keeps everything else", () => {
    const before = "# GitHub App\nAPP_ID=\nPRIVATE_KEY=\n\nPORT=4000   \nexport WEBHOOK_SECRET=old\nAPP_ID=7\n";
    const after = mergeEnvText(before, { APP_ID: "42", WEBHOOK_SECRET: "new", GITHUB_CLIENT_ID: "Iv1.abc" });
    expect(after).toBe("# GitHub App\nAPP_ID=42\nPRIVATE_KEY=\n\nPORT=4000   \nWEBHOOK_SECRET=new\n\n# Written by OpenJules's first-run page.\nGITHUB_CLIENT_ID=Iv1.abc\n");
    expect(parseEnv(after)).toEqual({ APP_ID: "42", PRIVATE_KEY: "", PORT: "4000", WEBHOOK_SECRET: "new", GITHUB_CLIENT_ID: "Iv1.abc" });
  });

  it("writes the PEM key on one line that Node's .env parser reads back as the key, and drops an old multi-line value whole", () => {
    const pem = testPrivateKey();
    const before = 'PRIVATE_KEY="-----BEGIN OLD\nline\n-----END OLD"\nLOG_LEVEL=debug\n';
    const after = mergeEnvText(before, { PRIVATE_KEY: pem });
    expect(after.split("\n")[0]).toMatch(/^PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\n.+\\n-----END RSA PRIVATE KEY-----\\n"$/);
    expect(parseEnv(after)).toEqual({ PRIVATE_KEY: pem, LOG_LEVEL: "debug" });
  });

  it("quotes values that need it and refuses one it cannot write faithfully", () => {
    for (const value of ["sk-proj_abc.DEF/1+2=", "a b#c $HOME `x`", 'has "double" quotes', "it's", "line\nbreak"]) {
      expect(parseEnv(`X=${envValue("X", value)}\n`).X, value).toBe(value);
    }
    expect(() => envValue("X", `it's "both"\nand more`)).toThrow("X cannot be written to .env");
  });

  it("writes the file with mode 0600 whatever it had, through a temporary file that does not stay", () => {
    const dir = tempDir();
    const file = join(dir, ".env");
    writeFileSync(file, "PORT=3001\n", { mode: 0o644 });
    writeEnvFile(file, { APP_ID: "5" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseEnv(readFileSync(file, "utf8"))).toEqual({ PORT: "3001", APP_ID: "5" });
    const fresh = join(tempDir(), ".env");
    writeEnvFile(fresh, { APP_ID: "6" });
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(readFileSync(fresh, "utf8")).toBe("# Written by OpenJules's first-run page.\nAPP_ID=6\n");
  });
});
