/**
 * The default `deny_paths` of `.github/jules.yml`: files that decide what CI
 * runs, with the repository's secrets, as soon as a branch of the same
 * repository is pushed. OpenJules pushes its branches to the repository
 * itself (not a fork), so most CI systems run the branch's own version of
 * these files before anyone has reviewed them. The agent may not write them
 * and a delivery touching them is refused. A repository that sets
 * `deny_paths` replaces this list (matched case-insensitively, dot files
 * included).
 *
 * Not on the list, on purpose: `.github/dependabot.yml` and
 * `.github/CODEOWNERS` (read from the default branch, so they act only after a
 * person has reviewed and merged the change), `.github/jules.yml` (same).
 * What no list can cover: CI that runs the branch's own code (tests, build
 * scripts, package.json scripts) with secrets in its environment; see the
 * README's Security section.
 */
export const DEFAULT_DENY_PATHS: readonly string[] = [
  ".github/workflows/**", // GitHub Actions workflows (the app's token also lacks the workflows permission)
  ".github/actions/**", // local actions (`uses: ./.github/actions/x`), run inside workflows with their secrets
  "**/action.yml", // any local action's definition (`uses: ./path`), e.g. a repository that is itself an action
  "**/action.yaml",
  ".gitlab-ci.yml", // GitLab CI, and its local includes kept under .gitlab/
  ".gitlab/**",
  ".circleci/**", // CircleCI
  "**/Jenkinsfile", // Jenkins (multibranch pipelines build every pushed branch)
  ".buildkite/**", // Buildkite
  "azure-pipelines.yml", // Azure Pipelines
  "azure-pipelines.yaml",
  ".azure-pipelines/**",
  ".travis.yml", // Travis CI
  "bitbucket-pipelines.yml", // Bitbucket Pipelines (mirrored repositories)
  ".drone.yml", // Drone
  ".woodpecker.yml", // Woodpecker
  ".woodpecker/**",
  "appveyor.yml", // AppVeyor
  ".appveyor.yml",
  ".cirrus.yml", // Cirrus CI
  "cloudbuild.yaml", // Google Cloud Build triggers (run as the build's service account)
  "cloudbuild.yml",
];
