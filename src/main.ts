import { mount } from 'svelte';
import App from './ui/App.svelte';

mount(App, { target: document.getElementById('app')! });

// Offline after the first visit: the built app's service worker (scripts/offline.ts) caches every file.
// Not in dev, where files change under it.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((e: Error) => console.warn(`Heed will not work offline: ${e.message}`));
}
