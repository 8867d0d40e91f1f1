import type { Handler } from 'aws-lambda';
import { type Currency, type FieldEvent, type Order, priceOf, totalOf, USERS } from './shop/data.ts';

interface PlaceOrderInput {
  readonly userId: string;
  readonly currency?: Currency | null;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly note?: string | null;
}

// Per execution environment: each placeOrder is a new order, numbered (the demo keeps no database).
let placed = 0;

/** `Mutation.placeOrder(input:)`: the order placed, or null for an unknown user. Never batched. */
export const handler: Handler<FieldEvent<{ input: PlaceOrderInput }, null>, Order | null> = async ({ arguments: { input } }) => {
  if (!USERS.has(input.userId)) return null;
  placed += 1;
  const items = input.items.map((item) => ({ sku: item.sku, quantity: item.quantity, unitPrice: priceOf(item.sku) }));
  return {
    id: `order-new-${placed}`,
    userId: input.userId,
    status: 'PLACED',
    currency: input.currency ?? 'EUR',
    total: totalOf(items),
    placedAt: new Date().toISOString(),
    items,
    note: input.note ?? null,
  };
};
