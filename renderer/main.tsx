// The entry is kept tiny: it sends the start-up reads at once, then loads the app (its chunk is preloaded
// by a <link rel="modulepreload"> in index.html, see vite.config.ts), so the host answers them while the
// app's code is downloaded and evaluated instead of after the first render.
import '@xyflow/react/dist/base.css';
import './styles/theme.css';
import './styles/app.css';
import './styles/canvas.css';
import './styles/panels.css';
import './styles/pages.css';
import { startStartupCalls } from './host/startup-calls';

startStartupCalls();
void import('./start-app');
