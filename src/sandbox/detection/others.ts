import { exists, read, type Candidate } from "./files.ts";

/**
 * Go, Rust, a Makefile `test` target, Maven and Gradle (every one found, in
 * that order). Go's modules are downloaded into the task's HOME in setup,
 * unless they are vendored. Maven runs through
 * the repository's wrapper (`./mvnw`, which fetches the Maven version it
 * pins during setup) when it has one, and runs the `test` phase: `verify`
 * would add integration tests (failsafe), which commonly need services or
 * containers the sandbox does not have, and plugins bound to later phases
 * that `dependency:go-offline` does not fetch, so they would fail offline.
 * When the repository's CI runs `verify`, that is followed instead (ci.ts).
 */
export async function others(dir: string): Promise<Candidate[]> {
  const found: Candidate[] = [];
  if (await exists(dir, "go.mod")) {
    // Vendored modules build from vendor/ (-mod=vendor is Go's default then): `go mod download` would fetch them anyway, and fail for private ones.
    const vendored = await exists(dir, "vendor/modules.txt");
    found.push({
      family: "go",
      setup: vendored ? null : "go mod download",
      test: "go test ./...",
      reason: vendored ? "found go.mod and vendor/modules.txt (dependencies vendored: nothing to download)" : "found go.mod",
    });
  }
  if (await exists(dir, "Cargo.toml")) found.push({ family: "rust", setup: "cargo fetch", test: "cargo test --offline", reason: "found Cargo.toml" });
  for (const name of ["Makefile", "makefile", "GNUmakefile"]) {
    const text = await read(dir, name);
    if (text !== null && /^test\s*:(?!=)/m.test(text)) {
      found.push({ family: "make", setup: null, test: "make test", reason: `found a test target in ${name}` });
      break;
    }
  }
  if (await exists(dir, "pom.xml")) {
    const wrapper = await exists(dir, "mvnw");
    const mvn = wrapper ? "./mvnw" : "mvn";
    found.push({
      family: "maven",
      setup: `${mvn} -B -q dependency:go-offline`,
      test: `${mvn} -B -q -o test`,
      reason: wrapper ? "found pom.xml and the Maven wrapper (mvnw)" : "found pom.xml (Maven)",
    });
  }
  if (await exists(dir, "gradlew"))
    found.push({ family: "gradle", setup: "./gradlew --no-daemon -q testClasses", test: "./gradlew --no-daemon --offline test", reason: "found the Gradle wrapper (gradlew)" });
  else if ((await exists(dir, "build.gradle")) || (await exists(dir, "build.gradle.kts"))) {
    found.push({ family: "gradle", setup: "gradle --no-daemon -q testClasses", test: "gradle --no-daemon --offline test", reason: "found build.gradle (Gradle)" });
  }
  return found;
}
