import { beforeAll } from "vitest";
import { scenarioCatalogueSuite } from "../../testing/scenario-catalogue-suite.ts";
import { TEST_KUBE_VERSION } from "../../testing/test-cluster.ts";
import { KindProvider } from "./kind-provider.ts";
import { buildNodeImage } from "./node-image/build-node-image.ts";

// The whole catalogue on kind clusters, with the expectations the local provider meets: the same
// apiserver binary behind kubeadm, kubelet, controller-manager and scheduler must answer alike.
beforeAll(async () => {
  await buildNodeImage({ version: TEST_KUBE_VERSION });
}, 900_000);

await scenarioCatalogueSuite(new KindProvider());
