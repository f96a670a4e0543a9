import type { Probot } from "probot";
import { onCheckRun, onCheckSuite, onWorkflowRun } from "./github/handlers/checks.ts";
import { onIssueComment, onReview, onReviewComment } from "./github/handlers/comments.ts";
import { onClosed, onIssueAssignment, onIssueLabeled, onIssueOpened } from "./github/handlers/issues.ts";
import type { Intake } from "./github/intake.ts";

/**
 * The Probot app: wires webhook events to their handlers. No logic lives here;
 * handlers turn payloads into typed events and hand them to the intake.
 */
export function julesApp(intake: Intake) {
  return (app: Probot) => {
    app.on("issue_comment.created", (context) => onIssueComment(context, intake));
    app.on("pull_request_review_comment.created", (context) => onReviewComment(context, intake));
    app.on("pull_request_review.submitted", (context) => onReview(context, intake));
    app.on("issues.labeled", (context) => onIssueLabeled(context, intake));
    app.on("issues.opened", (context) => onIssueOpened(context, intake));
    app.on(["issues.assigned", "issues.unassigned"], (context) => onIssueAssignment(context, intake));
    app.on(["issues.closed", "pull_request.closed"], (context) => onClosed(context, intake));
    app.on("check_suite.completed", (context) => onCheckSuite(context, intake));
    app.on("check_run.completed", (context) => onCheckRun(context, intake));
    app.on("workflow_run.completed", (context) => onWorkflowRun(context, intake));
  };
}
