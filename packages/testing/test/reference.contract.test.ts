import { runAdapterContract } from '../src/index.ts';
import { referenceDriver } from '../src/reference-driver.ts';

// The kit's own double passes the whole contract; it is not an adapter, so it stays out of the matrix.
runAdapterContract(referenceDriver, { matrix: false });

// The same double declaring a gap: the report shows a passing `unsupported: <id> — <reason>` test.
runAdapterContract(
  {
    ...referenceDriver,
    name: 'reference with a declared gap (kit self-test)',
    unsupported: {
      'topic.delivery-count':
        'demonstrates how an unsupported scenario is reported (packages/testing/README.md)',
    },
  },
  { matrix: false },
);
