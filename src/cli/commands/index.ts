import type { Command } from '../command';
import { acls } from './acls';
import { groupLag } from './group-lag';
import { newProject } from './new-project';
import { newService } from './new-service';
import { replay } from './replay';
import { topicsDescribe } from './topics-describe';
import { topicsList } from './topics-list';
import { topology } from './topology';

export const commands: readonly Command[] = [
  topicsList,
  topicsDescribe,
  groupLag,
  replay,
  topology,
  acls,
  newProject,
  newService,
];
