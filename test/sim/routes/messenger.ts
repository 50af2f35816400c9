import type { GraphRoute } from '../context';
export const messengerRoutes: GraphRoute[] = [];
