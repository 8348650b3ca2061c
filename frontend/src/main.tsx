import { render } from 'preact';
import { App } from './App';
import './styles.css';
// Page-specific styles after the base sheet, so they can refine it.
import './styles/library.css';
import './styles/asset.css';
import './styles/settings.css';
import './styles/shell.css';
import './styles/live.css';
import './styles/ingest.css';
import './styles/share.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
