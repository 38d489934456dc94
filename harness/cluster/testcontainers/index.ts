export { ApiserverContainer, StartedApiserverContainer } from "./apiserver-container.ts";
export { EtcdContainer, StartedEtcdContainer } from "./etcd-container.ts";
export { TestcontainersProvider, type TestcontainersProviderOptions } from "./testcontainers-provider.ts";
export { buildImages, type BuiltImage } from "./build-images.ts";
export { apiserverImage, etcdImage } from "./images.ts";
