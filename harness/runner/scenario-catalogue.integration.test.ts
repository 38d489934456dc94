import { LocalProvider } from "../cluster/local/local-provider.ts";
import { scenarioCatalogueSuite } from "../testing/scenario-catalogue-suite.ts";

await scenarioCatalogueSuite(new LocalProvider());
