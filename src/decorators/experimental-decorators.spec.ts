import { runInThisContext } from 'node:vm';

import ts from 'typescript';

import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import * as streamwise from '../index';

/**
 * Compiles `source` as a user project with TypeScript's defaults would (standard TC39
 * decorators, no experimentalDecorators) and runs it against this package.
 */
function runWithStandardDecorators(source: string): unknown {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as Record<string, unknown> };
  const load = (name: string): unknown => {
    if (name === 'streamwise') return streamwise;
    throw new Error(`unexpected import ${name}`);
  };
  const run = runInThisContext(`(function (require, module, exports) {${outputText}\n})`) as (
    require: (name: string) => unknown,
    module: { exports: unknown },
    exports: unknown,
  ) => void;
  run(load, module, module.exports);
  return module.exports;
}

const TOPIC = `
  import { defineTopic, EventHandler, OwnsTopic, Query, Service, StreamService } from 'streamwise';
  const Orders = defineTopic({ name: 'orders', entity: 'Order', key: (o: { id: string }) => o.id });
`;

describe('decorators compiled as standard (TC39) decorators', () => {
  it.each([
    [
      'a method decorator',
      `${TOPIC} class Shop extends StreamService { @EventHandler(Orders) onOrder() {} }`,
      /^@EventHandler on a class\.onOrder: this file was compiled with standard \(TC39\) decorators/,
    ],
    [
      'a query',
      `${TOPIC} class Shop extends StreamService { @Query('GET /x') find() {} }`,
      /^@Query on a class\.find: .*"experimentalDecorators": true and "emitDecoratorMetadata": true/,
    ],
    [
      'a class decorator',
      `${TOPIC} @Service('shop-service') class Shop extends StreamService {}`,
      /^@Service on Shop: this file was compiled with standard \(TC39\) decorators/,
    ],
    [
      'a second class decorator',
      `${TOPIC} @OwnsTopic(Orders) class Shop extends StreamService {}`,
      /^@OwnsTopic on Shop: .*tsconfig\.json/,
    ],
  ])('%s says which tsconfig flags to set', (_label, source, message) => {
    let thrown: unknown;
    try {
      runWithStandardDecorators(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DecoratorMisuseError);
    expect((thrown as Error).message).toMatch(message);
  });
});
