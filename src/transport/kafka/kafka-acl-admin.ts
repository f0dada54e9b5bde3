import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';

import type { AclAdmin, AclBinding } from '../acl-binding';
import { fromKafkaAcls, toKafkaAcl } from './kafka-acl-entries';
import { resolveKafkaConfig } from './kafka-config';
import { kafkaClientConfig, kafkaPrincipal } from './kafka-connection';
import { withTransportError } from './kafka-errors';
import type { KafkaTransportOptions } from './kafka-options';

/**
 * Reads and creates ACLs with a kafkajs admin client. Needs a login the broker lets alter ACLs
 * (a super user, or ALTER on the cluster); a refusal is a KafkaAuthorizationError naming it.
 */
export class KafkaAclAdmin implements AclAdmin {
  readonly #admin: Admin;
  readonly #principal: string | undefined;

  constructor(options: KafkaTransportOptions) {
    const config = resolveKafkaConfig(options);
    this.#principal = kafkaPrincipal(config);
    this.#admin = new Kafka({ ...kafkaClientConfig(config), logLevel: logLevel.NOTHING }).admin();
  }

  connect(): Promise<void> {
    return withTransportError('connect', () => this.#admin.connect(), this.#principal);
  }

  disconnect(): Promise<void> {
    return this.#admin.disconnect();
  }

  async held(principals: readonly string[]): Promise<{ bindings: AclBinding[]; others: number }> {
    const answers = await withTransportError(
      'describe ACLs',
      () =>
        Promise.all(
          principals.map((principal) =>
            this.#admin.describeAcls({
              resourceType: AclResourceTypes.ANY,
              resourcePatternType: ResourcePatternTypes.ANY,
              principal,
              operation: AclOperationTypes.ANY,
              permissionType: AclPermissionTypes.ANY,
            }),
          ),
        ),
      this.#principal,
    );
    const read = answers.map(fromKafkaAcls);
    return {
      bindings: read.flatMap((answer) => answer.bindings),
      others: read.reduce((sum, answer) => sum + answer.others, 0),
    };
  }

  async create(bindings: readonly AclBinding[]): Promise<void> {
    await withTransportError(
      'create ACLs',
      () => this.#admin.createAcls({ acl: bindings.map(toKafkaAcl) }),
      this.#principal,
    );
  }
}
