import { runAdapterContract } from '@polycloud/testing';
import { gcpDriver } from '../support/gcp-driver.ts';

runAdapterContract(gcpDriver);
