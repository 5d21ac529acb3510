import { runAdapterContract } from '@polycloud/testing';
import { lambdaDriver } from '../support/lambda-driver.ts';

runAdapterContract(lambdaDriver({ name: 's3', storage: 's3' }));
