// Served once before the clock starts: the framework's loader and Express stack are then warm, as
// they are the same for every function (see probe.mjs).
import functions from '@google-cloud/functions-framework';

functions.http('warmup', (_req, res) => {
  res.send('warm');
});
