import type { Probot, ProbotOctokit } from "probot";
import { httpStatus } from "./http-status.ts";
import type { InstallationDirectory, InstalledRepository, RepoId } from "./port.ts";

/**
 * The app's installations over Probot: `GET /repos/{owner}/{repo}/installation`
 * (the app's JWT) finds the installation of a repository, whose token then
 * reads the repository; `list` walks every installation's repositories.
 */
type Octokit = InstanceType<typeof ProbotOctokit>;
type RepoData = Awaited<ReturnType<Octokit["rest"]["repos"]["get"]>>["data"];

export function probotInstallations(probot: Probot): InstallationDirectory {
  return {
    async find(repo: RepoId) {
      const app = await probot.auth();
      let installationId: number;
      try {
        installationId = (await app.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.repo })).data.id;
      } catch (error) {
        if (httpStatus(error) === 404) return null;
        throw error;
      }
      const octokit = await probot.auth(installationId);
      try {
        const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
        return installed(installationId, data);
      } catch (error) {
        if (httpStatus(error) === 404) return null;
        throw error;
      }
    },

    async list() {
      const app = await probot.auth();
      const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
      const all: InstalledRepository[] = [];
      for (const installation of installations) {
        const octokit = await probot.auth(installation.id);
        const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
        all.push(...repos.map((r) => installed(installation.id, r)));
      }
      return all;
    },
  };
}

function installed(installationId: number, data: Pick<RepoData, "owner" | "name" | "full_name" | "default_branch" | "private" | "clone_url">): InstalledRepository {
  return {
    installationId,
    owner: data.owner.login,
    repo: data.name,
    fullName: data.full_name,
    defaultBranch: data.default_branch,
    private: data.private,
    cloneUrl: data.clone_url,
  };
}
