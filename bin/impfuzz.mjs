#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: no build step between `npm ci` and use.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../harness/cli/main.ts");
const code = await main(process.argv.slice(2));
// Let pending output flush; exit explicitly because keep-alive sockets may hold the loop open.
process.exitCode = code;
setImmediate(() => process.exit(code));
