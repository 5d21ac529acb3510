// Hand-written functions-framework http function for GET /items/:id: the cold-start baseline of
// polycloud's GCP entry. The framework is what the deployed package.json depends on.
import functions from '@google-cloud/functions-framework';

functions.http('getItem', (req, res) => {
  const id = decodeURIComponent(req.path.split('/')[2] ?? '');
  res.set('content-type', 'application/json').send(JSON.stringify({ id, name: `item ${id}` }));
});
