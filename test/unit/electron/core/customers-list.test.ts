// The Customers screen browses every customer (issue 23: there was no list, only a search).
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/core/store/db';
import { listCustomers } from '../../../../electron/core/catalog/customers';

describe('listCustomers', () => {
  it('pages through every customer by name, without overlap, leaving out deleted ones', () => {
    const db = openDatabase(':memory:');
    const add = db.prepare(
      'INSERT INTO customers (id, name, email, created_at, updated_at, deleted) VALUES (?, ?, ?, 1, 1, ?)',
    );
    const names = ['bob', 'Alice', 'Carol', 'alice', 'Dave'];
    names.forEach((n, i) => add.run(`cus_${i}`, n, `${n}${i}@example.com`, 0));
    add.run('cus_gone', 'Aaron', null, 1);
    const first = listCustomers(db, 0, 3);
    const second = listCustomers(db, 3, 3);
    expect(first.total).toBe(5);
    expect(second.total).toBe(5);
    expect([...first.rows, ...second.rows].map((c) => c.name)).toEqual([
      'Alice',
      'alice',
      'bob',
      'Carol',
      'Dave',
    ]);
    expect(second.rows).toHaveLength(2);
    expect(first.rows[0]).toEqual({ id: 'cus_1', name: 'Alice', email: 'Alice1@example.com' });
  });
});
