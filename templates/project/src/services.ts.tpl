// The services this app runs: main.ts starts them, and `streamwise topology` reads the classes
// exported here. `streamwise new service <name>` adds a service to the three lists below.
import type { ServiceClass } from 'streamwise';

import { TasksService } from './services/tasks-service';

export { TasksService };

export const services: readonly ServiceClass[] = [
  TasksService,
];
