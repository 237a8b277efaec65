/** Start-up shared by the CLI commands: the backend, chosen and reported. */
import { type BackendChoice, type BackendInfo, initBackend } from '../../src/engine/backend.ts';
import { emit } from './args.ts';
import { nodeBackendOptions } from './node.ts';
import { installNodeWebGpu } from './webgpu.ts';

export async function startBackend(choice: string, json: boolean, quiet = false): Promise<BackendInfo> {
  if (choice === 'webgpu' || choice === 'auto') installNodeWebGpu();
  const info = await initBackend(choice as BackendChoice, nodeBackendOptions());
  if (!quiet) emit(json, { backend: info.name, reason: info.reason }, `backend: ${info.name} (${info.reason})`);
  return info;
}
