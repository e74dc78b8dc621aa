// The bundle served as /static/partner.js: the protocol, the client that
// runs it against the server's partner API, and the Partner page.
export * from './protocol.js';
export { Partner, HttpError } from './client.js';
import { mount } from './page.js';
import { mountSensate } from './sensate.js';

if (typeof document !== 'undefined') {
  const root = document.getElementById('partner-app');
  if (root) mount(root);
  const sensate = document.getElementById('sensate-app');
  if (sensate) mountSensate(sensate);
}
