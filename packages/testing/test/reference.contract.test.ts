import { runAdapterContract } from '../src/index.ts';
import { referenceDriver } from '../src/reference-driver.ts';

// The kit's own double passes the whole contract; it is not an adapter, so it stays out of the matrix.
runAdapterContract(referenceDriver, { matrix: false });
