export { Control } from './whatsapp';
