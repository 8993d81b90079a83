/**
 * The registry of sweep task kinds, by name. To add a kind, write a SweepTask in its own file
 * and add one line here, e.g. `simulate: simulateTask,`.
 */
import type { SweepTask } from "../task.ts";
import { odeFinalTask } from "./ode-final.ts";
import { studentTeacherTask } from "./student-teacher.ts";

export const sweepTasks: Record<string, SweepTask> = {
  "ode-final": odeFinalTask,
  "student-teacher": studentTeacherTask,
};
