import { runAdapterContract } from '@polycloud/testing';
import { lambdaDriver } from '../support/lambda-driver.ts';

runAdapterContract(lambdaDriver({ name: 'apigw-v1', http: 'apigw-v1' }));
