import type { ScenarioStepResult } from "../../core/index.ts";
import type { RecordView } from "./report-model.ts";
import { formatValue, visible } from "./text.ts";

/**
 * Plain-text forms for places that hold only text (JUnit failure bodies, `<system-out>`).
 * @internal
 */

function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

/** A divergence or flake as a reviewer reads it in a CI log. */
export function recordText(view: RecordView): string {
  const out: string[] = [`${view.record.kind}: ${view.classification}`, `${view.title}`];
  out.push(view.facts.map((f) => `${f.label.toLowerCase()}: ${f.value}`).join("; "));
  if (view.fieldRows.length > 0) {
    out.push("", "differs:");
    for (const row of view.fieldRows) {
      out.push(`  ${row.field}: predicted ${row.predicted}, observed ${row.observed}${row.replay === undefined ? "" : `, replay ${row.replay}`}`);
    }
  }
  if (view.firstCheck !== undefined) {
    out.push("", `first differing check: #${view.firstCheck.index} (${view.firstCheck.fields.join(", ") || "attributes"})`);
    for (const row of view.firstCheck.rows.filter((r) => r.differs)) {
      out.push(`  ${row.attribute}: predicted ${row.predicted}, observed ${row.observed}`);
    }
  }
  if (view.checkRows.length > 0) {
    out.push("", "checks (predicted / observed):");
    for (const row of view.checkRows) {
      const mark = row.first ? "➜" : row.differs ? "≠" : " ";
      out.push(`${mark} #${row.index} predicted ${row.predicted ?? "(none)"}`);
      out.push(`     observed  ${row.observed ?? "(none)"}`);
    }
  }
  if (view.skipped.length > 0) {
    out.push("", `not compared: ${view.skipped.map((s) => `${s.field} (${s.reason})`).join("; ")}`);
  }
  out.push("", "requestor:", indent(view.requestorYaml), "request:", indent(view.requestText), "objects:", indent(view.objectsYaml));
  return out.join("\n");
}

/** `expect code: expected 200, observed 403`. */
export function stepFailureText(f: ScenarioStepResult["failures"][number]): string {
  return visible(`${f.against} ${f.field}: expected ${formatValue(f.expected)}, observed ${formatValue(f.observed)}`, { oneLine: true });
}

/** `step 3 "deny unknown verb"` */
export function stepLabel(step: ScenarioStepResult): string {
  return visible(`step ${step.step} ${JSON.stringify(step.name)}`, { oneLine: true });
}

/** Which sides disagreed in a step: `expect`, `oracle`, or `expect+oracle`. */
export function stepSides(step: ScenarioStepResult): string {
  const sides = [...new Set(step.failures.map((f) => f.against))].sort();
  return sides.length === 0 ? "failed" : sides.join("+");
}
