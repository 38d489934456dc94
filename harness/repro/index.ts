export { reproScript, type ReproOptions } from "./repro-script.ts";
export { shq } from "./shell-quote.ts";
