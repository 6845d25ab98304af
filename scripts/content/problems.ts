export interface Problem {
  /** Path relative to the current directory, as an editor or terminal can open it. */
  file: string;
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column} ${p.severity === "warning" ? "warning: " : ""}${p.message}`;
}

export class Problems {
  readonly list: Problem[] = [];
  constructor(readonly file: string) {}

  error(line: number, column: number, message: string) {
    this.list.push({ file: this.file, line, column, message, severity: "error" });
  }

  warning(line: number, column: number, message: string) {
    this.list.push({ file: this.file, line, column, message, severity: "warning" });
  }
}
