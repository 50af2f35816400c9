/** Types for main/tools/native-abi.mjs (plain JS so `npm start` runs without a TypeScript loader). */
export type BinaryAbi = { kind: 'abi'; abi: number } | { kind: 'napi' } | { kind: 'unknown' };
export type ModuleState = BinaryAbi | { kind: 'missing' };
export interface NativeModule {
  name: string;
  binary: string;
}
export interface InspectedModule extends NativeModule {
  file: string;
  state: ModuleState;
}
export interface Target {
  runtime: 'node' | 'electron';
  abi: number;
  version: string;
}
export interface Marker {
  runtime: 'node' | 'electron';
  abi: number;
  version: string;
  at: string;
}
export const nativeModules: NativeModule[];
export const markerFile: string;
export function readBinaryAbi(bytes: Buffer): BinaryAbi;
export function inspectModules(root: string): InspectedModule[];
export function modulesToRebuild(
  inspected: InspectedModule[],
  target: Pick<Target, 'runtime' | 'abi'>,
  marker: Pick<Marker, 'runtime'> | null,
): string[];
export function readMarker(root: string): Marker | null;
export function writeMarker(root: string, target: Target): void;
export function electronTarget(root: string): Target;
export function nodeTarget(): Target;
export function electronBinary(root: string): { path: string } | { path: null; reason: string };
export function withLock<T>(root: string, fn: () => T): T;
export function run(
  root: string,
  cmd: string,
  args: string[],
  env?: Record<string, string | undefined>,
): number;
export function describeModules(inspected: InspectedModule[]): string;
export const runtimeModules: string[];
export function stageApp(root: string, dest: string): string;
export function withAddonBackup(root: string, names: string[], rebuild: () => boolean): boolean;
