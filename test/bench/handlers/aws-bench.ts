export * from './aws.ts';
export * from './aws-peers.ts';
