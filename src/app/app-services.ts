import { Container } from 'inversify';

import { describeService } from '../decorators/describe-service';
import { ConfigurationError } from '../errors/configuration-error';
import type { ServiceDescription } from '../model/service/service-description';
import type { ServiceClass } from '../runtime/service-class';
import { StreamService } from '../runtime/stream-service';
import { ServiceHost, type ServiceHostContext } from './service-host';

/**
 * Reads the decorators of every service class and checks what the options reader cannot: each
 * extends StreamService and has a name of its own in the app.
 */
export function describeAll(services: readonly ServiceClass[]): ServiceDescription[] {
  const descriptions = services.map((service) => {
    const description = describeService(service);
    if (!(service.prototype instanceof StreamService)) {
      throw new ConfigurationError(
        `${service.name} must extend StreamService: class ${service.name} extends StreamService { ... }`,
      );
    }
    return description;
  });
  const seen = new Map<string, string>();
  for (const d of descriptions) {
    const other = seen.get(d.name);
    if (other !== undefined) {
      throw new ConfigurationError(
        `${other} and ${d.className} are both named "${d.name}": service names must be unique in an app.`,
      );
    }
    seen.set(d.name, d.className);
  }
  return descriptions;
}

/** Builds a service through the container; a missing binding says which class needs what. */
export function createInstance(
  container: Container,
  description: ServiceDescription,
): StreamService {
  try {
    return container.get<StreamService>(description.target);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(
      `Cannot create ${description.className}: ${reason} Bind its constructor dependencies in the inversify container passed as options.container.`,
    );
  }
}

/**
 * One host per service, each instance built by a container of the app's own (a child of the
 * user's, when given) in which every service class is a singleton.
 */
export function createServiceHosts(
  descriptions: readonly ServiceDescription[],
  parent: Container | undefined,
  context: ServiceHostContext,
): ServiceHost[] {
  const container = new Container({ parent, defaultScope: 'Singleton' });
  for (const description of descriptions) {
    container.bind(description.target).toSelf().inSingletonScope();
  }
  return descriptions.map(
    (description) => new ServiceHost(description, createInstance(container, description), context),
  );
}
