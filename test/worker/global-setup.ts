import type { TestProject } from 'vitest/node';
import { type ProviderSandbox, startProviderSandbox } from '../support/provider-sandbox.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the loopback Twilio/Postmark sandbox the worker tests send through. */
    providerSandboxUrl: string;
  }
}

let sandbox: ProviderSandbox | undefined;

/** One provider sandbox for the run; its URL reaches the Worker's bindings through vitest's provide. */
export async function setup(project: TestProject): Promise<void> {
  sandbox = await startProviderSandbox();
  project.provide('providerSandboxUrl', sandbox.url);
}

export async function teardown(): Promise<void> {
  await sandbox?.stop();
}
