/** The repositories the token may use, and a repository's branches (what `create` takes as `base`). */
import { invalid } from "../problem.ts";
import { answer, json, route } from "../route.ts";
import { BranchesSchema, REPOSITORY, RepositoriesSchema } from "../schemas/bodies.ts";

const repositories = route({
  method: "GET",
  path: "/repos",
  operationId: "listRepositories",
  summary: "Repositories the app is installed on that the token may use, with their default branch",
  responses: { 200: { description: "The repositories", schema: RepositoriesSchema } },
  problems: [503],
  handle: ({ caller, control }) => answer(control.repositories(caller), (list) => json(200, { repositories: list })),
});

const branches = route({
  method: "GET",
  path: "/repos/{owner}/{repo}/branches",
  operationId: "listBranches",
  summary: "The branches of a repository",
  responses: { 200: { description: "Branch names", schema: BranchesSchema } },
  problems: [403, 404, 503],
  async handle({ caller, control, params }) {
    const repository = `${params.owner}/${params.repo}`;
    if (!REPOSITORY.test(repository)) return { problem: invalid(`The repository must look like owner/name, got "${repository}".`) };
    return answer(control.branches(caller, repository), (list) => json(200, { branches: list }));
  },
});

export const REPO_ROUTES = [repositories, branches];
