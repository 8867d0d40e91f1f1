/**
 * The demo shop's data: a fixed set of users and orders, computed the same way in every execution
 * environment, so that every run of the demo (and every test against it) sees the same shop.
 */
export type UserTier = 'STANDARD' | 'SILVER' | 'GOLD';
export type Currency = 'EUR' | 'USD' | 'GBP';

export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly tier: UserTier;
  readonly joinedAt: string;
}

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly status: 'PLACED' | 'SHIPPED' | 'DELIVERED';
  readonly currency: Currency;
  readonly total: number;
  readonly placedAt: string;
  readonly items: readonly OrderItem[];
  readonly note: string | null;
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tony'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Hoare'];
const TIERS: readonly UserTier[] = ['STANDARD', 'SILVER', 'GOLD'];
const CURRENCIES: readonly Currency[] = ['EUR', 'USD', 'GBP'];
const STATUSES: readonly Order['status'][] = ['DELIVERED', 'SHIPPED', 'PLACED'];
const SKUS = ['book-sicp', 'book-taocp', 'mug-lambda', 'shirt-graphql', 'sticker-json'];
const PRICES = [42, 199.5, 12, 25, 2.5];

/** 200 users, `user-1` … `user-200`. */
export const USERS: ReadonlyMap<string, User> = new Map(
  Array.from({ length: 200 }, (_, i): [string, User] => {
    const first = FIRST[i % FIRST.length] ?? 'Ada';
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'Lovelace';
    const id = `user-${i + 1}`;
    return [
      id,
      {
        id,
        name: `${first} ${last}`,
        email: `${first}.${last}.${i + 1}@example.com`.toLowerCase(),
        tier: TIERS[i % TIERS.length] ?? 'STANDARD',
        joinedAt: new Date(Date.UTC(2020, i % 12, (i % 28) + 1)).toISOString(),
      },
    ];
  }),
);

/** What an order of these items costs, rounded to cents. */
export function totalOf(items: readonly OrderItem[]): number {
  return Math.round(items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) * 100) / 100;
}

export function priceOf(sku: string): number {
  const index = SKUS.indexOf(sku);
  return index === -1 ? 10 : (PRICES[index] ?? 10);
}

/** Each user has one to three orders. */
export const ORDERS_BY_USER: ReadonlyMap<string, readonly Order[]> = new Map(
  [...USERS.values()].map((user, u): [string, Order[]] => [
    user.id,
    Array.from({ length: (u % 3) + 1 }, (_, o): Order => {
      const items = Array.from({ length: (o % 2) + 1 }, (_, k): OrderItem => {
        const sku = SKUS[(u + o + k) % SKUS.length] ?? 'mug-lambda';
        return { sku, quantity: ((u + k) % 3) + 1, unitPrice: priceOf(sku) };
      });
      return {
        id: `order-${u + 1}-${o + 1}`,
        userId: user.id,
        status: STATUSES[o % STATUSES.length] ?? 'PLACED',
        currency: CURRENCIES[u % CURRENCIES.length] ?? 'EUR',
        total: totalOf(items),
        placedAt: new Date(Date.UTC(2024, o * 3, (u % 28) + 1)).toISOString(),
        items,
        note: null,
      };
    }),
  ]),
);

/** One use of a typed field, as the gateway sends it (AppSync's Invoke / BatchInvoke item). */
export interface FieldEvent<Arguments, Source> {
  readonly arguments: Arguments;
  readonly source: Source;
  readonly info: { readonly fieldName: string; readonly parentTypeName: string };
  readonly identity: { readonly sub: string | null; readonly roles: readonly string[] } | null;
}

/**
 * A batch-aware handler answers each event of a BatchInvoke (an array) in order, and a single
 * Invoke (one event) with one answer: the same code serves both.
 */
export function eachEvent<E, R>(event: E | readonly E[], answer: (event: E) => R): R | R[] {
  return Array.isArray(event) ? (event as readonly E[]).map(answer) : answer(event as E);
}
