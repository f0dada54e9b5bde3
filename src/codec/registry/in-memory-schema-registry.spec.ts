import { EVOLUTION_CASES } from '../../../test/fixtures/schema-evolution';
import { SchemaIncompatibleError } from '../../errors/schema-incompatible-error';
import { SchemaRegistryError } from '../../errors/schema-registry-error';
import { InMemorySchemaRegistry } from './in-memory-schema-registry';

const Payment = {
  type: 'object',
  properties: { id: { type: 'string' } },
  required: ['id'],
};

describe('InMemorySchemaRegistry', () => {
  describe.each(EVOLUTION_CASES.map((c) => [c.name, c] as const))('%s', (_name, evolution) => {
    async function registryWithHistory(): Promise<InMemorySchemaRegistry> {
      const registry = new InMemorySchemaRegistry();
      await registry.setCompatibility('payments-value', evolution.level);
      for (const old of evolution.history) {
        await registry.register('payments-value', old.schema, old.type);
      }
      return registry;
    }

    it(`checkCompatibility says ${evolution.compatible ? 'compatible' : 'incompatible, naming the field'}`, async () => {
      const registry = await registryWithHistory();
      const { schema, type } = evolution.candidate;
      const result = await registry.checkCompatibility('payments-value', schema, type);
      expect(result.compatible).toBe(evolution.compatible);
      if (evolution.compatible) expect(result.messages).toEqual([]);
      else expect(result.messages.join('\n')).toContain(`field "${evolution.field}"`);
    });

    it(`register ${evolution.compatible ? 'adds a version' : 'refuses with SchemaIncompatibleError'}`, async () => {
      const registry = await registryWithHistory();
      const { schema, type } = evolution.candidate;
      const attempt = registry.register('payments-value', schema, type);
      if (evolution.compatible) {
        await expect(attempt).resolves.toEqual(expect.any(Number));
        expect(await registry.latestVersion('payments-value')).toBe(evolution.history.length + 1);
      } else {
        await expect(attempt).rejects.toBeInstanceOf(SchemaIncompatibleError);
        await expect(attempt).rejects.toThrow(`field "${evolution.field}"`);
        expect(await registry.latestVersion('payments-value')).toBe(evolution.history.length);
      }
    });
  });

  it('gives equal schemas one global id, in any subject, and versions per subject', async () => {
    const registry = new InMemorySchemaRegistry();
    const id = await registry.register('payments-value', Payment, 'JSON');
    expect(await registry.register('payments-value', { ...Payment }, 'JSON')).toBe(id);
    expect(await registry.register('refunds-value', Payment, 'JSON')).toBe(id);
    expect(await registry.latestVersion('payments-value')).toBe(1);
    expect(await registry.latestVersion('refunds-value')).toBe(1);
    const other = await registry.register('payments-value', { ...Payment, required: [] }, 'JSON');
    expect(other).not.toBe(id);
    expect(await registry.latestVersion('payments-value')).toBe(2);
    expect(await registry.getSchema(id)).toEqual({
      schema: Payment,
      type: 'JSON',
      subject: 'payments-value',
      version: 1,
    });
    expect(registry.subjects()).toEqual(['payments-value', 'refunds-value']);
  });

  it('says a subject it has never seen has no version, and accepts any first schema', async () => {
    const registry = new InMemorySchemaRegistry();
    expect(await registry.latestVersion('nothing-value')).toBeUndefined();
    expect(await registry.checkCompatibility('nothing-value', Payment, 'JSON')).toEqual({
      compatible: true,
      messages: [],
    });
  });

  it('answers an unknown id with a 404 SchemaRegistryError that is not retriable', async () => {
    const attempt = new InMemorySchemaRegistry().getSchema(42);
    await expect(attempt).rejects.toBeInstanceOf(SchemaRegistryError);
    await expect(attempt).rejects.toMatchObject({ status: 404, retriable: false });
  });

  it('refuses schemas it cannot parse, as a registry answers 422', async () => {
    const registry = new InMemorySchemaRegistry();
    await expect(registry.register('x-value', { type: 'string' }, 'AVRO')).rejects.toMatchObject({
      status: 422,
    });
    await expect(registry.register('x-value', { type: 'objekt' }, 'JSON')).rejects.toMatchObject({
      status: 422,
    });
  });

  it('uses the default level it is given for subjects without their own', async () => {
    const registry = new InMemorySchemaRegistry({ defaultCompatibility: 'NONE' });
    await registry.register('p-value', Payment, 'JSON');
    const retyped = { ...Payment, properties: { id: { type: 'number' } } };
    expect((await registry.checkCompatibility('p-value', retyped, 'JSON')).compatible).toBe(true);
  });
});
