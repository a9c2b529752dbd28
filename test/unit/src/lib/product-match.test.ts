import { describe, expect, it } from 'vitest';
import type { Product } from '../../../../electron/ipc/contract';
import { rankProducts, searchText } from '../../../../src/lib/product-match';

const p = (sku: string, name: string, stock: number): Product => ({
  id: `prod_${sku}`,
  sku,
  name,
  unitAmount: 1000,
  currency: 'usd',
  stock,
  oversold: 0,
  active: true,
});

describe('which product Enter adds (issue 23 item 13)', () => {
  // As the search answers them: by name.
  const whisks = [
    p('WHISK-BAMBOO', 'Bamboo matcha whisk', 0),
    p('WHISK-STEEL', 'Steel whisk', 4),
    p('WHISK-BALLOON', 'Whisk, balloon', 0),
  ];

  it('takes the best match in stock, not the alphabetically first', () => {
    expect(rankProducts(whisks, 'whisk').map((x) => x.sku)).toEqual([
      'WHISK-STEEL',
      'WHISK-BALLOON',
      'WHISK-BAMBOO',
    ]);
  });

  it('among those in stock, a name that starts with the words typed comes first', () => {
    const teas = [p('A', 'Assam breakfast tea', 3), p('B', 'Tea sampler', 2), p('C', 'Black tea', 0)];
    expect(rankProducts(teas, 'tea').map((x) => x.sku)).toEqual(['B', 'A', 'C']);
  });

  it('an exact SKU wins even out of stock (staff typed that product; the cart then asks)', () => {
    expect(rankProducts(whisks, 'whisk-bamboo')[0]!.sku).toBe('WHISK-BAMBOO');
  });

  it('nothing in stock: the closest match', () => {
    const out = [p('X', 'Bamboo whisk', 0), p('Y', 'Whisk', 0)];
    expect(rankProducts(out, 'whisk')[0]!.sku).toBe('Y');
  });
});

describe('what the search box sends', () => {
  it('collapses white space and cuts a pasted page to the limit, saying it did', () => {
    expect(searchText('  earl \n grey ', 100)).toEqual({ query: 'earl grey', cut: false });
    const pasted = searchText('tea '.repeat(500), 100);
    expect(pasted.cut).toBe(true);
    expect(pasted.query.length).toBeLessThanOrEqual(100);
    expect(pasted.query.startsWith('tea tea')).toBe(true);
  });
});
