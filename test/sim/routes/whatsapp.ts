import type { GraphRoute } from '../context';
export const whatsappRoutes: GraphRoute[] = [];
