import { runAdapterContract } from '@polycloud/testing';
import { gcpDriver } from './gcp-driver.ts';

runAdapterContract(gcpDriver);
