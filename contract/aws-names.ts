/**
 * Naming rules of AWS that both the infrastructure config and the load generator check, in one place so
 * the two can never disagree about what a valid stream or region is.
 */

/** Kinesis stream names (CreateStream API reference). */
export const KINESIS_STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
export const KINESIS_STREAM_NAME_RULE = 'a stream name of 1-128 characters [a-zA-Z0-9_.-]';

/** Region codes: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`. */
export const AWS_REGION = /^[a-z]{2}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/;
export const AWS_REGION_RULE = 'an AWS region such as us-east-1';
