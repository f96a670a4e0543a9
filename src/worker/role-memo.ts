import type { GitHubGateway, GitHubGateways, RepoId, Role } from "../github/port.ts";

/**
 * GitHub gateways whose role lookups are remembered for one inbound event:
 * the use case checks the commenter's role (the one permission rule), and the
 * thread's reply names that role, with one request to GitHub.
 */
export function rememberRoles(
  github: GitHubGateways,
  /** The gateway the event's job already has (no second installation token for it). */
  known: { installationId: number; gateway: GitHubGateway },
): GitHubGateways & { knownRole(repo: RepoId, login: string): Role | null } {
  const roles = new Map<string, Promise<Role>>();
  const key = (installationId: number, repo: RepoId, login: string) => `${installationId}:${repo.owner}/${repo.repo}:${login}`.toLowerCase();
  const settled = new Map<string, Role>();
  return {
    async forInstallation(installationId: number) {
      const gateway = installationId === known.installationId ? known.gateway : await github.forInstallation(installationId);
      const role = (repo: RepoId, login: string): Promise<Role> => {
        const k = key(installationId, repo, login);
        let found = roles.get(k);
        if (!found) {
          found = gateway.role(repo, login).then((r) => {
            settled.set(`${repo.owner}/${repo.repo}:${login}`.toLowerCase(), r);
            return r;
          });
          found.catch(() => roles.delete(k));
          roles.set(k, found);
        }
        return found;
      };
      return new Proxy(gateway, {
        get(target, property) {
          if (property === "role") return role;
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }) as GitHubGateway;
    },
    knownRole: (repo, login) => settled.get(`${repo.owner}/${repo.repo}:${login}`.toLowerCase()) ?? null,
  };
}
