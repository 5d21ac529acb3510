import { runAdapterContract } from '@polycloud/testing';
import { lambdaDriver } from '../support/lambda-driver.ts';

runAdapterContract(lambdaDriver({ name: 'sqs-fifo', queue: 'sqs-fifo', topic: 'sqs-sns-fifo' }));
