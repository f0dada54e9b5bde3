import { misuse } from '../../test/support/misuse';
import { Query } from './query';
import { readQueries } from './read-queries';

describe('@Query misuse', () => {
  it.each([
    ['an unknown HTTP method', 'FETCH /x', 'must look like'],
    ['a lowercase HTTP method', 'get /x', 'must look like'],
    ['a path without a leading slash', 'GET x', 'must look like'],
    ['no path at all', 'GET', 'must look like'],
    ['two spaces', 'GET  /x', 'must look like'],
    ['a query string', 'GET /x?y=1', 'must look like'],
    ['an empty :param', 'GET /a/:', 'has an empty or invalid :param'],
    ['a :param starting with a digit', 'GET /a/:1id', 'has an empty or invalid :param'],
    ['a repeated :param', 'GET /a/:id/:id', 'repeats a :param'],
  ])('rejects %s (%s)', (_label, route, problem) => {
    const error = misuse(() => {
      class Shop {
        @Query(route)
        find(): void {}
      }
      return Shop;
    });
    expect(error.className).toBe('Shop');
    expect(error.member).toBe('find');
    expect(error.message).toMatch(/^@Query on Shop\.find: route /);
    expect(error.message).toContain(route);
    expect(error.message).toContain(problem);
  });

  it('rejects a route that is not a string', () => {
    const error = misuse(() => {
      class Shop {
        @Query(undefined as unknown as string)
        find(): void {}
      }
      return Shop;
    });
    expect(error.member).toBe('find');
    expect(error.message).toContain('must look like');
  });

  it('rejects a method that declares more parameters than the route passes (params, then the request)', () => {
    const error = misuse(() => {
      class Shop {
        @Query('GET /stock/:sku')
        stock(_warehouse: string, _sku: string, _request: unknown): void {}
      }
      return Shop;
    });
    expect(error.member).toBe('stock');
    expect(error.message).toBe(
      '@Query on Shop.stock: declares 3 parameters, but route GET /stock/:sku passes only 1 :param(s) and then the request: declare (sku, request), in that order, or add the missing :params to the route.',
    );
  });

  it('accepts the params alone, the params and the request, or fewer', () => {
    class Shop {
      @Query('GET /a/:x/:y')
      both(_x: string, _y: string, _request: unknown): void {}

      @Query('GET /b/:x/:y')
      params(_x: string, _y: string): void {}

      @Query('GET /c/:x/:y')
      none(): void {}
    }
    expect(readQueries(Shop).map((q) => q.method)).toEqual(['both', 'params', 'none']);
  });

  it('rejects the same route on two methods of one class', () => {
    const error = misuse(() => {
      class Shop {
        @Query('GET /orders/:id')
        first(): void {}

        @Query('GET /orders/:id')
        second(): void {}
      }
      return Shop;
    });
    expect(error.className).toBe('Shop');
    expect(error.member).toBe('second');
    expect(error.message).toBe(
      '@Query on Shop.second: route GET /orders/:id is already taken by Shop.first.',
    );
  });

  it('rejects a static method', () => {
    const error = misuse(() => {
      class Shop {
        @Query('GET /x')
        static find(): void {}
      }
      return Shop;
    });
    expect(error.className).toBe('Shop');
    expect(error.member).toBe('find');
    expect(error.message).toContain('is on a static method');
  });

  it('rejects a getter', () => {
    const error = misuse(() => {
      class Shop {
        @Query('GET /x')
        get find(): number {
          return 1;
        }
      }
      return Shop;
    });
    expect(error.member).toBe('find');
    expect(error.message).toBe('@Query on Shop.find: must decorate a method.');
  });
});

describe('@Query metadata', () => {
  it('records the HTTP method, the path and the :params in path order', () => {
    class Shop {
      @Query('GET /stock/:warehouse/items/:product_id')
      stock(): void {}

      @Query('DELETE /orders/:id')
      cancel(): void {}
    }
    expect(readQueries(Shop)).toEqual([
      {
        method: 'stock',
        httpMethod: 'GET',
        path: '/stock/:warehouse/items/:product_id',
        params: ['warehouse', 'product_id'],
      },
      { method: 'cancel', httpMethod: 'DELETE', path: '/orders/:id', params: ['id'] },
    ]);
  });

  it('accepts every supported HTTP method', () => {
    class Shop {
      @Query('GET /x')
      a(): void {}
      @Query('POST /x')
      b(): void {}
      @Query('PUT /x')
      c(): void {}
      @Query('PATCH /x')
      d(): void {}
      @Query('DELETE /x')
      e(): void {}
    }
    expect(readQueries(Shop).map((q) => q.httpMethod)).toEqual([
      'GET',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
    ]);
  });

  it('has no params for a path without :segments', () => {
    class Shop {
      @Query('POST /orders')
      place(): void {}
    }
    expect(readQueries(Shop)[0].params).toEqual([]);
  });
});
