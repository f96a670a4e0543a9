/**
 * The PostgreSQL task store's migrations, in the order they apply. They carry
 * the same component name, versions and names as the SQLite ones (a version
 * means the same schema on both backends). Append new files here; never edit
 * or reorder one that has shipped (databases record their names).
 */
import type { Migration } from "../../migrate.ts";
import { migration001Tasks } from "./001-tasks.ts";
import { migration002PlanContext } from "./002-plan-context.ts";
import { migration003ApprovalOrder } from "./003-approval-order.ts";
import { migration004CommandWord } from "./004-command-word.ts";
import { migration005CallersAndEventLog } from "./005-callers-and-event-log.ts";
import { migration006Accounts } from "./006-accounts.ts";
import { migration007OwnKey } from "./007-own-key.ts";
import { migration008Ask } from "./008-ask.ts";
import { migration009CiFixes } from "./009-ci-fixes.ts";

export { TASKS_COMPONENT } from "../../migrate.ts";

export const taskMigrations: readonly Migration[] = [
  migration001Tasks,
  migration002PlanContext,
  migration003ApprovalOrder,
  migration004CommandWord,
  migration005CallersAndEventLog,
  migration006Accounts,
  migration007OwnKey,
  migration008Ask,
  migration009CiFixes,
];
