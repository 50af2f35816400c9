import type { GraphRoute } from '../context';
export const capiRoutes: GraphRoute[] = [];
