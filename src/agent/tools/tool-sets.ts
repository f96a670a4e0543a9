import { answerTool } from "./answer.ts";
import { editFileTool } from "./edit-file.ts";
import { finishTool } from "./finish.ts";
import { listFilesTool } from "./list-files.ts";
import { readFileTool } from "./read-file.ts";
import { runTool } from "./run.ts";
import { searchTool } from "./search.ts";
import { submitPlanTool } from "./submit-plan.ts";
import type { Tool } from "./tool.ts";
import { writeFileTool } from "./write-file.ts";

/**
 * The tool sets of the two phases: planning gets the read-only tools plus
 * `submit_plan` and `answer`; execution gets every working tool plus `finish`.
 * A question (`/jules ask`) gets the read-only tools and `answer` only: no
 * plan to submit, nothing that edits or runs.
 */

const readOnlyTools: Tool[] = [listFilesTool, readFileTool, searchTool];

export const planningTools = (): Tool[] => [...readOnlyTools, submitPlanTool, answerTool];

export const askTools = (): Tool[] => [...readOnlyTools, answerTool];

export const executionTools = (): Tool[] => [...readOnlyTools, editFileTool, writeFileTool, runTool, finishTool];
