import { type ContainerRuntimeClient, getContainerRuntimeClient, ImageName } from "testcontainers";
import { ProviderStartError } from "../../core/index.ts";

/**
 * The Docker engine, through testcontainers' own client (so DOCKER_HOST, ~/.testcontainers.properties
 * and rootless sockets work as testcontainers documents).
 *
 * Ryuk, testcontainers' reaper, is always off: it is an image that must be pulled (impossible offline),
 * and impfuzz removes its containers itself (on stop, at exit, and left-overs of dead runs on the next
 * start, see orphans.ts).
 */
export async function connectDocker(): Promise<ContainerRuntimeClient> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  // impfuzz's containers use the host network and it never asks testcontainers for a mapped host. Where
  // /.dockerenv exists, testcontainers would otherwise look the host up through the "bridge" network
  // (absent under `dockerd --bridge=none`) or an alpine container (a pull), and fail to connect at all.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";
  try {
    return await getContainerRuntimeClient();
  } catch (e) {
    const where = process.env.DOCKER_HOST ? `DOCKER_HOST=${process.env.DOCKER_HOST}` : "/var/run/docker.sock";
    throw new ProviderStartError(`no Docker engine answers at ${where}: start dockerd or use --provider local`, e);
  }
}

/**
 * The image on the engine: present, or pulled now (what a user with a registry gets). Offline a
 * missing image cannot be pulled; the error names the command that builds it locally.
 */
export async function ensureImage(client: ContainerRuntimeClient, image: string, buildHint: string): Promise<void> {
  const name = ImageName.fromString(image);
  if (await client.image.exists(name)) return;
  let cause: unknown;
  try {
    await client.image.pull(name);
  } catch (e) {
    cause = e;
  }
  // A pull whose stream reported an error resolves anyway; the image being there is what counts.
  if (await imagePresent(client, image)) return;
  const why = cause instanceof Error ? cause.message.split("\n")[0] : "pull failed";
  throw new ProviderStartError(`image ${image} is not on the Docker engine and could not be pulled (${why}): run \`${buildHint}\` to build it locally`, cause);
}

export async function imagePresent(client: ContainerRuntimeClient, image: string): Promise<boolean> {
  try {
    await client.container.dockerode.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}
