import { MissingPeerDependencyError } from '../errors/missing-peer-dependency-error';

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}

/**
 * Loads the optional peer dependencies an option needs, only when it is on, so an app without the
 * option never requires them; a missing one is reported with the packages to install.
 */
export async function loadOptionalPeers<T>(
  option: string,
  packages: readonly string[],
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error)) throw new MissingPeerDependencyError(option, packages, error);
    throw error;
  }
}
