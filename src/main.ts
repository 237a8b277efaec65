import { mount } from 'svelte';
import App from './ui/App.svelte';

mount(App, { target: document.getElementById('app')! });

// Offline after the first visit: the built app's service worker (scripts/offline.ts) caches every file.
// The build that writes sw.js defines __HEED_OFFLINE__; the dev server, where files change under it, does not.
declare const __HEED_OFFLINE__: boolean | undefined;
if (typeof __HEED_OFFLINE__ !== 'undefined' && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((e: Error) => console.warn(`Heed will not work offline: ${e.message}`));
}
