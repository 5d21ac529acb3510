// Preloaded with NODE_OPTIONS=--import into the functions-framework CLI, which has no --host and
// binds every interface: forces 127.0.0.1 and reports the port it got on stderr.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function patchedListen(...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const callback = args.find((a) => typeof a === 'function');
    this.once('listening', () => {
      process.stderr.write(`polycloud-test-listening ${this.address().port}\n`);
    });
    return listen.call(this, { port: Number(first), host: '127.0.0.1' }, callback);
  }
  return listen.apply(this, args);
};
