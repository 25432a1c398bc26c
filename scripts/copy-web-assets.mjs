// The dashboard's page and style sheets go beside its compiled scripts in dist/web, which
// `cutover serve` serves at / (src/server/dashboard-route.ts): one flat folder.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';

mkdirSync('dist/web', { recursive: true });
copyFileSync('web/index.html', 'dist/web/index.html');
for (const file of readdirSync('web/styles')) copyFileSync(`web/styles/${file}`, `dist/web/${file}`);
