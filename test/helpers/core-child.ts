// A console core in a child process, for crash tests: `tsx test/helpers/core-child.ts <dataDir> <emulatorPort> capture <pi> <amount> <version>`.
// It signs in the manager and starts the capture; the parent kills it with SIGKILL mid-request.
import { createServices } from '../../electron/core/services';
import { memorySecrets, quietLogger } from './core-harness';

const [dataDir, port, action, piId, amount, version] = process.argv.slice(2);
const services = await createServices({
  dataDir: dataDir!,
  secrets: memorySecrets(),
  logger: quietLogger,
  authWindow: { returnUrl: () => 'https://merchant-console.invalid/3ds-return', open: async () => 'closed' },
  events: { emit: () => undefined },
  station: 'Child station',
  stripe: {
    secretKey: 'sk_test_child',
    mode: 'emulator',
    host: '127.0.0.1',
    port: Number(port),
    protocol: 'http',
    maxNetworkRetries: 0,
    timeoutMs: 60_000,
  },
  autoSync: false,
});
const ctx = { clientId: 'child' };
const login = await services.dispatch('auth:login', { name: 'Morgan Manager', pin: '2468' }, ctx);
if (!login.ok) throw new Error(JSON.stringify(login));
if (action === 'capture') {
  process.stdout.write('capturing\n');
  const r = await services.dispatch(
    'holds:capture',
    { paymentIntentId: piId, amount: Number(amount), version: Number(version), pin: '2468' },
    ctx,
  );
  process.stdout.write(JSON.stringify(r) + '\n');
}
await services.close();
