import { runAdapterContract } from '@polycloud/testing';
import { lambdaDriver } from '../support/lambda-driver.ts';

runAdapterContract(lambdaDriver({ name: 'sqs', queue: 'sqs', topic: 'sqs-sns' }));
