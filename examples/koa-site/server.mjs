import { startKoaSite } from './app.mjs';

const site = await startKoaSite({ cdnPort: Number(process.env.PORT ?? 8081) });
console.log(`Koa example on ${site.url} (origin ${site.appUrl} refuses direct requests). Ctrl-C to stop.`);
process.once('SIGINT', () => site.close().then(() => process.exit(0)));
