import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * An option needs packages streamwise declares as optional peer dependencies (so that apps without
 * the option do not install them), and they are not installed.
 */
export class MissingPeerDependencyError extends StreamwiseError {
  static override readonly code = ErrorCodes.MISSING_PEER_DEPENDENCY;

  readonly packages: readonly string[];

  constructor(option: string, packages: readonly string[], cause?: unknown) {
    super(
      ErrorCodes.MISSING_PEER_DEPENDENCY,
      `The option ${option} needs ${packages.join(' and ')}, which could not be loaded. Install them next to streamwise (npm install ${packages.join(' ')}) or turn the option off.`,
      { cause },
    );
    this.packages = packages;
  }
}
