import type { Handler } from 'aws-lambda';
import { eachEvent, type FieldEvent, USERS, type User } from './shop/data.ts';

type UserEvent = FieldEvent<{ id: string }, null>;

/** `Query.user(id:)`, batch-aware: one user (or null) per event, in order. */
export const handler: Handler<UserEvent | UserEvent[], User | null | (User | null)[]> = async (event) =>
  eachEvent(event, ({ arguments: { id } }) => USERS.get(id) ?? null);
