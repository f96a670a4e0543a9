import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { buildBwrapCommand, PASSWD, type BwrapPlan } from "../../src/sandbox/bubblewrap.ts";

const plan = (overrides: Partial<BwrapPlan> = {}): BwrapPlan => ({
  bwrapPath: "/usr/bin/bwrap",
  layout: {
    symlinks: { bin: "usr/bin", lib: "usr/lib" },
    dirs: ["lib64"],
    etc: ["ssl", "ld.so.cache"],
    prlimitPath: "/usr/bin/prlimit",
    features: { disableUserns: true, tmpfsSize: true, seccomp: true },
  },
  workspace: "/data/work/task-1",
  gitEntry: "file",
  cwd: "packages/app",
  home: "/data/home/task-1",
  egress: null,
  env: { FOO: "bar" },
  limits: { memoryBytes: 1000, processes: 10, fileSizeBytes: 2000, openFiles: 30, tmpfsBytes: 4000 },
  extraReadOnly: [],
  dropTo: null,
  command: "npm test",
  ...overrides,
});

/** The values following each occurrence of `flag`. */
function after(args: string[], flag: string, count = 1): string[][] {
  return args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + count)] : []));
}

describe("sandbox: bubblewrap command line", () => {
  it("unshares everything, runs as 65534 and dies with its parent", () => {
    const { file, args } = buildBwrapCommand(plan());
    assert.equal(file, "/usr/bin/bwrap");
    for (const flag of ["--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--clearenv", "--disable-userns"]) assert.ok(args.includes(flag), flag);
    assert.ok(!args.includes("--share-net"));
    assert.deepEqual(after(args, "--uid"), [["65534"]]);
    assert.deepEqual(after(args, "--gid"), [["65534"]]);
  });

  it("mounts only system directories read-only, the workspace and HOME read-write, and hides .git", () => {
    const { args, fds } = buildBwrapCommand(plan());
    assert.deepEqual(after(args, "--bind", 2), [
      ["/data/work/task-1", "/workspace"],
      ["/data/home/task-1", "/home/sandbox"],
    ]);
    assert.deepEqual(after(args, "--ro-bind", 2), [
      ["/usr", "/usr"],
      ["/lib64", "/lib64"],
      ["/etc/ssl", "/etc/ssl"],
      ["/etc/ld.so.cache", "/etc/ld.so.cache"],
    ]);
    assert.ok(!args.some((a) => a.startsWith("/data") && !a.startsWith("/data/work/task-1") && !a.startsWith("/data/home/task-1")));
    assert.deepEqual(after(args, "--symlink", 2).slice(0, 2), [
      ["usr/bin", "/bin"],
      ["usr/lib", "/lib"],
    ]);
    assert.ok(after(args, "--ro-bind-data", 2).some(([fd, dest]) => dest === "/workspace/.git" && fds[Number(fd) - 3] === ""));
    assert.ok(after(args, "--ro-bind-data", 2).some(([fd, dest]) => dest === "/etc/passwd" && fds[Number(fd) - 3] === PASSWD));
    assert.ok(!args.includes("/etc/resolv.conf"));
    assert.deepEqual(after(args, "--remount-ro"), [["/"]]);
    assert.deepEqual(after(args, "--chdir"), [["/workspace/packages/app"]]);
  });

  it("caps the private tmpfs mounts and applies limits with prlimit inside", () => {
    const { args } = buildBwrapCommand(plan({ home: null }));
    assert.deepEqual(after(args, "--tmpfs"), [["/dev/shm"], ["/tmp"], ["/home/sandbox"]]);
    assert.deepEqual(after(args, "--size"), [["4000"], ["4000"], ["4000"]]);
    const tail = args.slice(args.indexOf("--") + 1);
    assert.deepEqual(tail, ["/usr/bin/prlimit", "--data=1000", "--nproc=10", "--fsize=2000", "--nofile=30", "--core=0", "--", "/bin/sh", "-c", "npm test"]);
  });

  it("sets a minimal environment plus the caller's variables", () => {
    const { args } = buildBwrapCommand(plan());
    const env = Object.fromEntries(after(args, "--setenv", 2).map(([k, v]) => [k, v]));
    assert.equal(env.HOME, "/home/sandbox");
    assert.equal(env.CI, "true");
    assert.equal(env.FOO, "bar");
    // What CI runners give suites: a UTF-8 locale, UTC, a writable npm global prefix in HOME with its bin first on PATH.
    assert.match(
      env.PATH ?? "",
      /^\/home\/sandbox\/\.openjules\/toolchain\/bin:\/home\/sandbox\/\.venv\/bin:\/home\/sandbox\/\.npm-global\/bin:\/home\/sandbox\/\.local\/bin:.*\/usr\/bin/,
    );
    assert.equal(env.npm_config_prefix, "/home/sandbox/.npm-global");
    assert.equal(env.LC_ALL, "C.UTF-8");
    assert.equal(env.TZ, "UTC");
    assert.equal(env.GIT_OPTIONAL_LOCKS, "0");
    // The sandbox's own variables cannot be replaced by the caller's (jules.yml `env:` is validated too; this is the backstop).
    for (const name of ["BAD=NAME", "HOME", "PATH", "LD_PRELOAD", "GIT_DIR", "HTTPS_PROXY", "npm_config_prefix", "NPM_CONFIG_PREFIX"]) {
      assert.throws(() => buildBwrapCommand(plan({ env: { [name]: "x" } })), /cannot be set for repository commands/, name);
    }
  });

  it("replaces a worktree's pointer by one to the read-only git view: objects and index bound read-only, generated files, nothing writable", () => {
    const view = {
      objects: "/data/mirrors/acme/widget.git/objects",
      index: "/data/mirrors/acme/widget.git/worktrees/t1/index",
      files: { HEAD: "ref: refs/heads/jules/1-x\n", config: "[core]\n", "packed-refs": "" },
    };
    const { args, fds } = buildBwrapCommand(plan({ gitEntry: "file", gitView: view }));
    const at = (flag: string, dest: string) => args.findIndex((a, i) => a === flag && args[i + 2] === dest);
    assert.equal(args[at("--ro-bind", "/run/openjules/git/objects") + 1], view.objects);
    assert.equal(args[at("--ro-bind", "/run/openjules/git/index") + 1], view.index);
    const pointer = at("--ro-bind-data", "/workspace/.git");
    assert.equal(fds[Number(args[pointer + 1]) - 3], "gitdir: /run/openjules/git\n");
    assert.equal(fds[Number(args[at("--ro-bind-data", "/run/openjules/git/HEAD") + 1]) - 3], "ref: refs/heads/jules/1-x\n");
    assert.ok(!args.some((a, i) => (a === "--bind" || a === "--bind-try") && String(args[i + 1]).startsWith("/data/mirrors")), "the mirror is never bound writable");
    assert.ok(args.indexOf("--remount-ro") > pointer, "the root (holding the view) is made read-only after it is built");
    // Without a view the pointer is an empty file, as before.
    const hidden = buildBwrapCommand(plan({ gitEntry: "file" }));
    assert.equal(hidden.fds[Number(hidden.args[hidden.args.indexOf("/workspace/.git") - 1]) - 3], "");
  });

  it("never shares the host's network: setup's way out is the egress proxy's socket and the forwarder", () => {
    const none = buildBwrapCommand(plan());
    const out = buildBwrapCommand(plan({ egress: { socket: "/tmp/openjules-egress-x/proxy.sock", node: "/opt/node/bin/node" } }));
    for (const { args } of [none, out]) {
      assert.ok(!args.includes("--share-net"));
      assert.ok(!args.includes("/etc/resolv.conf"));
    }
    assert.ok(!none.args.some((a) => a.startsWith("/run/openjules")));
    assert.deepEqual(after(out.args, "--ro-bind", 2).slice(-2), [
      ["/opt/node/bin/node", "/run/openjules/node"],
      ["/tmp/openjules-egress-x/proxy.sock", "/run/openjules/egress.sock"],
    ]);
    const [fd, dest] = after(out.args, "--ro-bind-data", 2).at(-1) as string[];
    assert.equal(dest, "/run/openjules/forwarder.cjs");
    assert.match(out.fds[Number(fd) - 3] as string, /net\.connect\(socketPath\)/);
    // The forwarder starts the command: prlimit -- node forwarder socket /bin/sh -c ...
    assert.deepEqual(out.args.slice(-6), ["/run/openjules/node", "/run/openjules/forwarder.cjs", "/run/openjules/egress.sock", "/bin/sh", "-c", "npm test"]);
  });

  it("drops to an unprivileged host uid with setpriv when asked", () => {
    const { file, args } = buildBwrapCommand(plan({ dropTo: { uid: 65534, gid: 65534, setprivPath: "/usr/bin/setpriv" } }));
    assert.equal(file, "/usr/bin/setpriv");
    assert.deepEqual(args.slice(0, 5), ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/usr/bin/bwrap"]);
  });

  it("hides a .git directory with a read-only tmpfs and refuses a cwd outside the workspace", () => {
    const { args } = buildBwrapCommand(plan({ gitEntry: "dir" }));
    assert.ok(after(args, "--tmpfs").some(([d]) => d === "/workspace/.git"));
    assert.ok(after(args, "--remount-ro").some(([d]) => d === "/workspace/.git"));
    assert.throws(() => buildBwrapCommand(plan({ cwd: "../x" })), /relative to the workspace/);
  });
});
