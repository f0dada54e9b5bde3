import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';

import { runCli } from '../../src/cli/run-cli';
import { adminLogin, securedBrokers } from '../support/secured-env';

/** `streamwise acls --dry-run / --apply` against the secured broker, logged in as its admin. */
describe('streamwise acls --dry-run and --apply', () => {
  const brokers = securedBrokers();
  // Principals of this run only, so nothing another test granted is touched.
  const suffix = randomUUID().slice(0, 8);
  const format = `User:{service}.${suffix}`;
  const principals = ['warehouse-service', 'purchasing-service'].map((s) => `User:${s}.${suffix}`);
  const dir = mkdtempSync(join(tmpdir(), 'streamwise-acls-'));
  const config = join(dir, 'admin.properties');
  const admin = new Kafka({
    clientId: 'acls-cli-admin',
    brokers,
    sasl: adminLogin(),
    logLevel: logLevel.NOTHING,
  }).admin();
  const out: string[] = [];
  const err: string[] = [];
  const acls = (...flags: string[]) => {
    out.length = 0;
    err.length = 0;
    const argv = ['acls', 'examples/quickstart/services.ts', '--principal-format', format];
    return runCli([...argv, '--command-config', config, ...flags], {
      io: { out: (line) => out.push(line), err: (line) => err.push(line) },
      env: {},
      version: '0.0.0',
    });
  };
  const filterOf = (principal: string) => ({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });

  beforeAll(async () => {
    const { username, password } = adminLogin();
    writeFileSync(
      config,
      [
        `bootstrap.servers=${brokers.join(',')}`,
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=PLAIN',
        `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${username}" password="${password}";`,
      ].join('\n'),
    );
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteAcls({ filters: principals.map(filterOf) }).catch(() => undefined);
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows what to add, creates exactly that, then finds it present and an extra one left alone', async () => {
    expect(await acls()).toBe(0);
    const generated = out.filter((line) => line.startsWith('kafka-acls.sh'));
    expect(generated.length).toBeGreaterThan(10);

    expect(await acls('--dry-run')).toBe(0);
    expect(out[0]).toBe(
      `# ${generated.length} to add, 0 already present, 0 extra on the broker for these principals (never removed).`,
    );
    expect(out.filter((line) => line.startsWith('kafka-acls.sh'))).toEqual(generated);

    expect(await acls('--apply')).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^# ${generated.length} added, 0 already present`));

    // One ACL the generator would not give: reported as extra, never removed.
    await admin.createAcls({
      acl: [
        {
          principal: principals[0],
          host: '*',
          operation: AclOperationTypes.READ,
          permissionType: AclPermissionTypes.ALLOW,
          resourceType: AclResourceTypes.TOPIC,
          resourceName: `extra-${suffix}`,
          resourcePatternType: ResourcePatternTypes.LITERAL,
        },
      ],
    });
    const extra = `kafka-acls.sh --bootstrap-server "$BROKERS" --remove --allow-principal ${principals[0]} --operation Read --topic extra-${suffix}`;
    // The broker's authorizer shows new ACLs a moment after it accepted them.
    for (let attempt = 0; ; attempt++) {
      expect(await acls('--dry-run')).toBe(0);
      if (out.includes(extra) || attempt >= 50) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(out[0]).toBe(
      `# 0 to add, ${generated.length} already present, 1 extra on the broker for these principals (never removed).`,
    );
    expect(out).toContain(extra);
    expect(err).toEqual([]);
  });

  it('fails with a named authorization error when the login may not read ACLs', async () => {
    writeFileSync(
      join(dir, 'user.properties'),
      [
        `bootstrap.servers=${brokers.join(',')}`,
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=PLAIN',
        'sasl.username=sw-writer',
        `sasl.password=${
          process.env.KAFKA_SECURED_USERS?.split(',')
            .find((u) => u.startsWith('sw-writer:'))
            ?.split(':')[1] ?? ''
        }`,
      ].join('\n'),
    );
    const argv = ['acls', 'examples/quickstart/services.ts', '--principal-format', format];
    const code = await runCli(
      [...argv, '--command-config', join(dir, 'user.properties'), '--dry-run'],
      {
        io: { out: (line) => out.push(line), err: (line) => err.push(line) },
        env: {},
        version: '0.0.0',
      },
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/User:sw-writer lacks DESCRIBE on the cluster/);
  });
});
