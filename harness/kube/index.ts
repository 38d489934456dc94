export { ensureBinaries, type EnsureOptions, type EnsuredBinaries } from "./ensure-binaries.ts";
export { executable, findBinaries, type KubeBinaries } from "./find-binaries.ts";
export type { BuildProgress, BuiltBinary } from "./build-binary.ts";
export { binaryDir, impfuzzCacheDir } from "./cache-dir.ts";
export { ETCD_VERSION } from "./recipes.ts";
export { ensureNodeBinaries, type NodeBinaries } from "./ensure-node-binaries.ts";
export { buildBinary } from "./build-binary.ts";
export { withBuildLock } from "./build-lock.ts";
export { KIND_VERSION, kindRecipe, NODE_COMPONENTS, type KubeComponent } from "./recipes.ts";
