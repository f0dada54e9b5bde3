import type { Command } from '../command';
import { acls } from './acls';
import { groupLag } from './group-lag';
import { groupsDescribe } from './groups-describe';
import { groupsList } from './groups-list';
import { migrate } from './migrate';
import { newProject } from './new-project';
import { newService } from './new-service';
import { repartition } from './repartition';
import { replay } from './replay';
import { replicasDrop } from './replicas-drop';
import { replicasRebuild } from './replicas-rebuild';
import { topicsApply } from './topics-apply';
import { topicsDescribe } from './topics-describe';
import { topicsList } from './topics-list';
import { topicsPeek } from './topics-peek';
import { topology } from './topology';

export const commands: readonly Command[] = [
  topicsList,
  topicsDescribe,
  topicsPeek,
  topicsApply,
  groupsList,
  groupsDescribe,
  groupLag,
  replay,
  migrate,
  repartition,
  replicasRebuild,
  replicasDrop,
  topology,
  acls,
  newProject,
  newService,
];
