import { TerraformOutput, type TerraformStack } from 'cdktf';

/**
 * A stack's public values as Terraform outputs, one per field in kebab case (`streamArn` -> `stream-arn`),
 * each with its description: `npx cdktf output <stack>` prints them and other stacks read them.
 */
export function writeOutputs<T extends object>(stack: TerraformStack, values: T, described: Record<keyof T, string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    new TerraformOutput(stack, kebab(name), { value, description: described[name as keyof T] });
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
