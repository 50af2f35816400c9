import { z } from 'zod';
import { connectionStatusSchema } from '../domain/connection';
import { method } from './method';

export const connectionMethods = {
  'connection.status': method(z.object({}).default({}), connectionStatusSchema),
};

export const connectionEvents = {
  'connection.changed': connectionStatusSchema,
};
