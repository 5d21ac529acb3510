import { runAdapterContract } from '@polycloud/testing';
import { lambdaDriver } from '../support/lambda-driver.ts';

runAdapterContract(lambdaDriver({ name: 'function-url', http: 'function-url' }));
