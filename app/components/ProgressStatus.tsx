import type { ModuleStatus } from "~/models/progress.server";
import { StatusBadge } from "./StatusBadge";

const LABELS: Record<ModuleStatus, { tone: "ok" | "warn" | "info"; text: string }> = {
  completed: { tone: "ok", text: "Completed" },
  "in-progress": { tone: "warn", text: "In progress" },
  "not-started": { tone: "info", text: "Not started" },
};

export function ModuleStatusBadge({ status }: { status: ModuleStatus }) {
  const label = LABELS[status];
  return <StatusBadge tone={label.tone}>{label.text}</StatusBadge>;
}
