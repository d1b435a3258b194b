// The compositor page's entry: takes the token, wires the state poller to the side panel, the windows, the intent bar, the activity list and pointer-as-gaze.
import './style.css';
import { createActions } from './actions.js';
import { setConnection } from './connection.js';
import { createDesktopState } from './desktop-state.js';
import { byId } from './dom.js';
import { createFrameFeed, type FrameFeed } from './frame-feed.js';
import { createInputSocket } from './input-socket.js';
import { createIntentBar } from './intent-bar.js';
import { createVoiceControl } from './voice-control.js';
import { createIntentHistory } from './intent-history.js';
import { createPointerGaze } from './pointer-gaze.js';
import { createAttentionOverlay } from './attention-overlay.js';
import { createRuntimeApi } from './runtime-api.js';
import { createSidePanel } from './side-panel.js';
import { createSurfaceWindows } from './surface-windows.js';
import { takeSessionToken } from './session-token.js';
import { createWindowInput } from './window-input.js';

const token = takeSessionToken();
const api = createRuntimeApi(token);
const state = createDesktopState(api);
const actions = createActions(api, state);
const feeds = new Map<string, FrameFeed>();
const feedOf = (vm: string): FrameFeed => {
  let feed = feeds.get(vm);
  if (feed === undefined) feeds.set(vm, (feed = createFrameFeed(api, vm)));
  return feed;
};

state.subscribe(createSidePanel(actions, feedOf));
const inputStatus = byId('input-status');
let windows: ReturnType<typeof createSurfaceWindows> | null = null;
const input = createInputSocket(token, {
  focus: (focus) => {
    document.body.dataset['input'] = focus;
    windows?.focusNote(focus === 'lost' ? 'input in another tab' : '');
  },
  problem: (text) => {
    inputStatus.textContent = text;
    inputStatus.title = new Date().toLocaleTimeString();
  },
});
windows = createSurfaceWindows(actions, feedOf, { token, input: createWindowInput(input), claim: () => input.claim() });
state.subscribe((snapshot) => windows?.render(snapshot));
const history = createIntentHistory(api);
const intentBar = createIntentBar(api, state);
intentBar.onOutcome((outcome) => history.add(outcome));
createVoiceControl(token, intentBar);
void history.load();
const gaze = createPointerGaze(api);
createAttentionOverlay(api);
state.subscribe((snapshot) => {
  if (snapshot !== null) gaze.setScreen(snapshot.surfaces.screen);
});
if (token === null) setConnection('connecting', 'no API token in this tab');
void state.refresh();
void api.call('status').then((status) => {
  if (status.ok) byId('runtime-version').textContent = `runtime ${status.value.versions.rayos} · pid ${status.value.pid}`;
});
