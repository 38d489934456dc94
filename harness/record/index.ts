export { openJournal, readJournal, readJournalFile, type Journal } from "./journal.ts";
export { JournalInvalidError } from "./journal-error.ts";
export { journalRecordSchema } from "./journal-schema.ts";
export { expectationFor, exportScenario } from "./export-scenario.ts";
