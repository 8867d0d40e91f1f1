import type { Handler } from 'aws-lambda';
import { eachEvent, type FieldEvent, type Order, ORDERS_BY_USER } from './shop/data.ts';

type OrdersEvent = FieldEvent<Record<string, never>, { id: string }>;

/**
 * `User.orders`, batch-aware: the orders of each event's source user, in order. A source without
 * an id is that item's error (AppSync's batch error item), not the batch's.
 */
export const handler: Handler<OrdersEvent | OrdersEvent[], unknown> = async (event) =>
  eachEvent(event, ({ source }): readonly Order[] | { errorType: string; errorMessage: string } =>
    typeof source?.id === 'string'
      ? (ORDERS_BY_USER.get(source.id) ?? [])
      : { errorType: 'BadSource', errorMessage: 'orders-by-user needs a source with an id' },
  );
