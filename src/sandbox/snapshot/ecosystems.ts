/**
 * What an environment snapshot is made of, per ecosystem (README, "Environment
 * snapshots"). The key hashes the manifests, lockfiles and version files a
 * setup installs from (MANIFESTS, found at any depth outside dependency
 * folders: a monorepo's packages count too). The snapshot keeps the task's
 * whole HOME (package caches, ~/.venv, Go's module cache, ~/.cargo, ~/.m2,
 * ~/.gradle, a toolchain setup installed there) and, in the working copy, the
 * dependency folders setup created (DEPENDENCY_FOLDERS, at any depth) and
 * nothing else: never a file of the checkout, never `.git`.
 */

/** Files whose content decides what a setup installs. */
const MANIFEST_NAMES = new Set([
  // Node (npm, pnpm, yarn, bun), Deno, and the declared Node version
  "package.json",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  "bun.lock",
  "bun.lockb",
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
  ".nvmrc",
  ".node-version",
  ".tool-versions",
  "deno.json",
  "deno.jsonc",
  "deno.lock",
  // Python
  "pyproject.toml",
  "setup.py",
  "setup.cfg",
  "Pipfile",
  "Pipfile.lock",
  "poetry.lock",
  "uv.lock",
  "pdm.lock",
  "tox.ini",
  ".python-version",
  // Go, Rust
  "go.mod",
  "go.sum",
  "go.work",
  "go.work.sum",
  "Cargo.toml",
  "Cargo.lock",
  "rust-toolchain",
  "rust-toolchain.toml",
  // PHP, Java/Kotlin, Ruby
  "composer.json",
  "composer.lock",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "settings.gradle",
  "settings.gradle.kts",
  "gradle.lockfile",
  "gradle-wrapper.properties",
  "maven-wrapper.properties",
  "Gemfile",
  "Gemfile.lock",
  ".ruby-version",
]);

/** requirements.txt, requirements-dev.txt, dev-requirements.txt, requirements/test.txt… */
const REQUIREMENTS = /(^|[-_.])requirements([-_.][A-Za-z0-9_.-]*)?\.(txt|in)$/;

export function isManifest(name: string, parent: string): boolean {
  return MANIFEST_NAMES.has(name) || REQUIREMENTS.test(name) || (parent.endsWith("requirements") && /\.(txt|in)$/.test(name));
}

/**
 * Folders a setup fills with dependencies, by ecosystem: Node's node_modules
 * (and bower_components, Yarn PnP's .yarn), Python's .venv/venv/.tox/.nox/
 * __pypackages__, Go's and PHP's vendor, Rust's target, Gradle's project
 * .gradle, Ruby's .bundle, Dart's .dart_tool, Elixir's deps and _build. Kept
 * only when setup created them: a tracked `vendor/` is part of the checkout.
 */
export const DEPENDENCY_FOLDERS = new Set([
  "node_modules",
  "bower_components",
  ".yarn",
  ".venv",
  "venv",
  ".tox",
  ".nox",
  "__pypackages__",
  "vendor",
  "target",
  ".gradle",
  ".bundle",
  ".dart_tool",
  "deps",
  "_build",
]);

/** What setup may leave that is regenerated on demand: neither kept nor a reason to run setup again. */
export const DISPOSABLE = new Set(["__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".eslintcache", ".npm-debug.log"]);

/** Never looked into: git's own entry (a file in a worktree, a directory in a nested repository). */
export const GIT_ENTRY = ".git";
