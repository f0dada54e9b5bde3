import { misuse } from '../../test/support/misuse';
import { defineTopic } from '../codec/define-topic';
import type { MaterializeOptions } from '../model/service/materialize-metadata';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { Materialize } from './materialize';
import { readMaterialized } from './read-materialized';

const Products = defineTopic<{ sku: string }>({
  name: 'products',
  entity: 'Product',
  key: (p) => p.sku,
  compacted: true,
});
const Prices = defineTopic<{ sku: string }>({ name: 'prices', entity: 'Price', key: (p) => p.sku });

describe('@Materialize misuse', () => {
  it.each<[string, MaterializeOptions, string]>([
    ['mode', { mode: 'local' as unknown as 'global' }, "mode must be 'global' or 'partitioned'."],
    ['store', { store: 'disk' as unknown as 'memory' }, "store must be 'memory' or 'persistent'."],
  ])('rejects a bad %s, naming the class and property', (_label, options, problem) => {
    const error = misuse(() => {
      class Catalog {
        @Materialize(Products, options)
        products!: unknown;
      }
      return Catalog;
    });
    expect(error.className).toBe('Catalog');
    expect(error.member).toBe('products');
    expect(error.message).toBe(`@Materialize on Catalog.products: ${problem}`);
  });

  it('rejects a non-topic (undefined from a circular import)', () => {
    const error = misuse(() => {
      class Catalog {
        @Materialize(undefined as unknown as TopicDefinition)
        products!: unknown;
      }
      return Catalog;
    });
    expect(error.className).toBe('Catalog');
    expect(error.member).toBe('products');
    expect(error.message).toMatch(
      /^@Materialize on Catalog\.products: the first argument is not a topic made by defineTopic\(\)/,
    );
  });

  it('rejects a static property', () => {
    const error = misuse(() => {
      class Catalog {
        @Materialize(Products)
        static products: unknown;
      }
      return Catalog;
    });
    expect(error.className).toBe('Catalog');
    expect(error.member).toBe('products');
    expect(error.message).toBe(
      '@Materialize on Catalog.products: is on a static property; tables are per instance.',
    );
  });

  it('rejects two @Materialize on one property', () => {
    const error = misuse(() => {
      class Catalog {
        @Materialize(Products)
        @Materialize(Prices)
        table!: unknown;
      }
      return Catalog;
    });
    expect(error.className).toBe('Catalog');
    expect(error.member).toBe('table');
    expect(error.message).toBe(
      '@Materialize on Catalog.table: is applied twice to the same property.',
    );
  });
});

describe('@Materialize metadata', () => {
  it("defaults to mode 'global' and store 'memory'", () => {
    class Catalog {
      @Materialize(Products)
      products!: unknown;
    }
    const [entry] = readMaterialized(Catalog);
    expect(entry).toEqual({
      property: 'products',
      topic: Products,
      mode: 'global',
      store: 'memory',
    });
    expect(entry.topic).toBe(Products);
  });

  it('keeps explicit options', () => {
    class Catalog {
      @Materialize(Products, { mode: 'partitioned', store: 'persistent' })
      products!: unknown;

      @Materialize(Prices, { store: 'persistent' })
      prices!: unknown;
    }
    expect(readMaterialized(Catalog)).toEqual([
      { property: 'products', topic: Products, mode: 'partitioned', store: 'persistent' },
      { property: 'prices', topic: Prices, mode: 'global', store: 'persistent' },
    ]);
  });

  it('a subclass inherits the parent tables without changing the parent', () => {
    class Parent {
      @Materialize(Products)
      products!: unknown;
    }
    class Child extends Parent {
      @Materialize(Prices)
      prices!: unknown;
    }
    expect(readMaterialized(Child).map((m) => m.property)).toEqual(['products', 'prices']);
    expect(readMaterialized(Parent).map((m) => m.property)).toEqual(['products']);
  });
});
