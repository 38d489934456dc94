/**
 * harness/report: a run's summary and journal records → the report files of `reports/<run-id>/`.
 * The renderers are pure (summary, records) → string; `writeReports` writes the set atomically and
 * `latestLink` re-points `reports/latest`. `divergences.jsonl` is not written here: the journal
 * (harness/record/journal.ts) appends it during the run.
 */
export { renderJunit } from "./render-junit.ts";
export { renderMarkdown } from "./render-markdown.ts";
export { renderHtml } from "./render-html.ts";
export { renderSummaryJson, writeReports, writeFileAtomic, ReportWriteError, type ReportFiles } from "./write-reports.ts";
export { latestLink } from "./latest-link.ts";
