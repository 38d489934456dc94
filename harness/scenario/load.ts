import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { type Document, LineCounter, parseAllDocuments } from "yaml";
import { ScenarioInvalidError } from "../core/index.ts";
import { type Problem, formatPath, problemsOf } from "./_internals/issues.ts";
import { lintScenario } from "./_internals/lint.ts";
import { documentLine, isEmptyDocument, lineOf } from "./_internals/yaml-positions.ts";
import { type Scenario, scenarioSchema } from "./schema.ts";

/**
 * Loads `impfuzz/v1` scenario files. Everything is read and validated before anything is returned,
 * so a runner applies nothing from a batch that has one bad file: the first problem found is thrown
 * as a ScenarioInvalidError naming file, line, field and the fix. Pure apart from reading files.
 */

/** One scenario with where it came from, for reports (`file:line`). */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** Index of the document in its file's YAML stream. */
  readonly index: number;
  /** 1-based line of `metadata.name`. */
  readonly nameLine: number;
  /** 1-based line of each of `scenario.spec.steps`. */
  readonly stepLines: readonly number[];
}

const YAML_FILE = /\.ya?ml$/;

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}

function invalid(file: string, doc: Document, lines: LineCounter, problems: readonly Problem[]): ScenarioInvalidError {
  const located = problems.map((p) => ({ p, line: lineOf(doc, lines, p.path, p.key) }));
  located.sort((a, b) => a.line - b.line);
  const { p, line } = located[0]!;
  const field = p.key === undefined ? formatPath(p.path) : formatPath([...p.path, p.key]);
  const more = located.length > 1 ? ` (and ${located.length - 1} more problem${located.length === 2 ? "" : "s"} in this document)` : "";
  return new ScenarioInvalidError(file, line, field, p.detail + more);
}

/**
 * Parses and validates the scenarios of one YAML text (a single document or a `---` stream).
 * `file` is only used in messages and in the result.
 */
export function parseScenarios(text: string, file: string): LoadedScenario[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const loaded: LoadedScenario[] = [];
  docs.forEach((doc, index) => {
    const syntax = doc.errors[0];
    if (syntax !== undefined) {
      const line = lines.linePos(syntax.pos[0]).line;
      throw new ScenarioInvalidError(file, line, "(yaml)", `${firstLine(syntax.message)} (${syntax.code}): fix the YAML syntax`);
    }
    if (isEmptyDocument(doc)) return;
    let root: unknown;
    try {
      root = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new ScenarioInvalidError(file, documentLine(doc, lines), "(yaml)", `${firstLine((e as Error).message)}: fix the YAML`);
    }
    const parsed = scenarioSchema.safeParse(root);
    if (!parsed.success) throw invalid(file, doc, lines, problemsOf(parsed.error, root));
    const lint = lintScenario(parsed.data);
    if (lint.length > 0) throw invalid(file, doc, lines, lint);
    loaded.push({
      scenario: parsed.data,
      file,
      line: documentLine(doc, lines),
      index,
      nameLine: lineOf(doc, lines, ["metadata", "name"]),
      stepLines: parsed.data.spec.steps.map((_, i) => lineOf(doc, lines, ["spec", "steps", i])),
    });
  });
  return loaded;
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && YAML_FILE.test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out.sort((a, b) => {
    const ra = relative(dir, a);
    const rb = relative(dir, b);
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  });
}

/** The files `loadScenarios` would read, in order: directories recursively, `*.yaml`/`*.yml`, sorted. */
export async function scenarioFiles(paths: string | readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of typeof paths === "string" ? [paths] : paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new ScenarioInvalidError(p, undefined, "(path)", "no such file or directory: pass a scenario file or a directory of them");
    }
    files.push(...(info.isDirectory() ? await yamlFilesUnder(p) : [p]));
  }
  return files;
}

/**
 * Reads and validates every scenario under `paths` (files or directories). Throws the first problem
 * as a ScenarioInvalidError, including a `metadata.name` used twice (naming both places).
 */
export async function loadScenarios(paths: string | readonly string[]): Promise<LoadedScenario[]> {
  const all: LoadedScenario[] = [];
  const seen = new Map<string, LoadedScenario>();
  for (const file of await scenarioFiles(paths)) {
    const text = await readFile(file, "utf8");
    for (const s of parseScenarios(text, file)) {
      const name = s.scenario.metadata.name;
      const first = seen.get(name);
      if (first !== undefined) {
        throw new ScenarioInvalidError(
          file,
          s.nameLine,
          "metadata.name",
          `duplicate scenario name "${name}": ${first.file}:${first.nameLine} uses it too; names must be unique in a run, rename one`,
        );
      }
      seen.set(name, s);
      all.push(s);
    }
  }
  return all;
}
