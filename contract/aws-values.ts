/**
 * Values AWS accepts that both the config schema and the constructs check, in one place so a config that
 * passes validation never builds a resource AWS rejects at apply time.
 */

/** vCPU of a Fargate task (AWS Batch job on Fargate) and the memory sizes (MiB) each allows. */
export const FARGATE_MEMORY_MIB: Readonly<Record<string, readonly number[]>> = {
  '0.25': [512, 1024, 2048],
  '0.5': steps(1024, 4096, 1024),
  '1': steps(2048, 8192, 1024),
  '2': steps(4096, 16384, 1024),
  '4': steps(8192, 30720, 1024),
  '8': steps(16384, 61440, 4096),
  '16': steps(32768, 122880, 8192),
};
export const FARGATE_VCPUS = Object.keys(FARGATE_MEMORY_MIB).map(Number).sort((a, b) => a - b);

/** The least memory Fargate allows for `vcpu` (2 GiB per vCPU). */
export function smallestFargateMemoryMiB(vcpu: number): number {
  const allowed = FARGATE_MEMORY_MIB[String(vcpu)];
  if (!allowed) throw new Error(`vcpu must be one of ${FARGATE_VCPUS.join(', ')}. Received ${vcpu}`);
  return allowed[0];
}

/** Why a vCPU and memory pair is not a Fargate size (completes "<memory> ..."), or undefined when it is one. */
export function fargateMemoryProblem(vcpu: number, memoryMiB: number): string | undefined {
  const allowed = FARGATE_MEMORY_MIB[String(vcpu)];
  if (!allowed) return `needs a Fargate vCPU (one of ${FARGATE_VCPUS.join(', ')}), not ${vcpu}`;
  if (allowed.includes(memoryMiB)) return undefined;
  const [first, second] = allowed;
  const last = allowed[allowed.length - 1];
  const range = allowed.length > 3 ? `${first} to ${last} in steps of ${second - first}` : allowed.join(', ');
  return `must be a Fargate memory size for ${vcpu} vCPU: ${range}`;
}

/** Retention periods CloudWatch Logs accepts (days), "never expire" left out on purpose. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** A VPC subnet id and a security group id, as AWS Batch's compute environments take them. */
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
/** Batch allows at most this many security groups on a compute environment. */
export const MAX_SECURITY_GROUPS = 5;

/** A Batch compute environment, job queue or job definition name: 1-128 of letters, digits, `_` and `-`. */
export const BATCH_NAME = /^[A-Za-z0-9][\w-]{0,127}$/;
export const BATCH_NAME_RULE = '1-128 of letters, digits, _ and -';

/** An ECR image tag: up to 128 of letters, digits, `_`, `.` and `-`, not starting with `.` or `-`. */
export const ECR_IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

function steps(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}
