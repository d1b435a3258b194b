// ambiguous: the words fit two or more things equally (or two actions), with no gaze or history to choose: clarify.
import { vm, surf, app, file, snap } from './lib.mjs';

const s = (objects, text, expect, history) => ({ scene: { screen: [1920, 1080], objects }, gaze: [], ...(history ? { history } : {}), utterance: { t: 0, text }, expect });
const C = (...options) => ({ decision: 'clarify', options });
const h = (t, text, action, target) => ({ t, text, resolved: { action, target } });
const ev = (t, event, target) => ({ t, event, target });

export default [
  s([vm('windows', 'Windows'), vm('ubuntu', 'Ubuntu')], 'pause the vm', C('windows', 'ubuntu')),
  s([vm('windows', 'Windows', { power: 'stopped' }), snap('snap-a', 'Before update', 'windows'), snap('snap-b', 'After update', 'windows')], 'restore the snapshot', C('snap-a', 'snap-b')),
  s([vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', [100, 100, 800, 700], 1), surf('terminal', 'Terminal', 'linux', [1000, 100, 800, 700], 1)], 'close the window', C('browser', 'terminal')),
  s([vm('ubuntu', 'Ubuntu'), vm('windows', 'Windows'), app('terminal-linux', 'Terminal', 'linux'), app('terminal-windows', 'Terminal', 'windows')], 'launch terminal', C('terminal-linux', 'terminal-windows')),
  s([vm('office-pc', 'Office PC'), file('report-pdf', 'report.pdf', 'windows'), file('report-docx', 'report.docx', 'windows')], 'open the report', C('report-pdf', 'report-docx')),
  s([vm('linux', 'Linux'), surf('browser', 'Browser', 'linux', null)], 'take another look at that', C('restore', 'inspect'),
    [h(-6000, 'close the browser', 'close', 'browser'), ev(-5900, 'surface.closed', 'browser')]),
  s([vm('dev-box', 'Dev box'), vm('office-pc', 'Office PC')], 'search for tax forms', C('dev-box', 'office-pc')),
  s([vm('windows', 'Windows'), vm('ubuntu', 'Ubuntu')], 'stop the vm', C('windows', 'ubuntu')),
  s([surf('linux-desktop', 'Linux desktop', 'linux', null), surf('windows-desktop', 'Windows desktop', 'windows', null)], 'show the desktop', C('linux-desktop', 'windows-desktop')),
  s([vm('ubuntu-22', 'Ubuntu 22.04'), vm('ubuntu-24', 'Ubuntu 24.04'), vm('windows', 'Windows')], 'snapshot the ubuntu box', C('ubuntu-22', 'ubuntu-24')),
  s([vm('linux', 'Linux'), vm('windows', 'Windows'), surf('browser-linux', 'Browser', 'linux', [80, 80, 850, 700], 1), surf('browser-windows', 'Browser', 'windows', [990, 80, 850, 700], 1)], 'close the browser', C('browser-linux', 'browser-windows')),
  s([vm('windows', 'Windows'), surf('files', 'Files', 'windows', null)], 'can we take another look at it?', C('restore', 'inspect'),
    [h(-20000, 'close files', 'close', 'files'), ev(-19900, 'surface.closed', 'files')]),
  s([vm('windows', 'Windows', { network: 'on' }), vm('linux', 'Linux', { network: 'on' })], 'turn off the network', C('windows', 'linux')),
  s([vm('dev-box', 'Dev box', { power: 'paused' }), vm('office-pc', 'Office PC', { power: 'paused' })], 'resume', C('dev-box', 'office-pc')),
  s([vm('windows', 'Windows', { presented: false }), vm('ubuntu', 'Ubuntu', { presented: false })], 'show me the desktop', C('windows', 'ubuntu')),
  s([vm('ubuntu', 'Ubuntu'), vm('windows', 'Windows')], 'take a snapshot', C('ubuntu', 'windows')),
  s([vm('linux', 'Linux'), surf('editor-1', 'Text Editor - notes.txt', 'linux', [100, 100, 800, 600], 1), surf('editor-2', 'Text Editor - todo.md', 'linux', [1000, 100, 800, 600], 1)], 'hide the text editor', C('editor-1', 'editor-2')),
  s([vm('windows', 'Windows'), vm('linux', 'Linux'), app('vscode-win', 'VS Code', 'windows'), app('vscode-linux', 'VS Code', 'linux')], 'launch vs code', C('vscode-win', 'vscode-linux')),
  s([vm('dev-box', 'Dev box', { power: 'stopped' }), vm('office-pc', 'Office PC', { power: 'stopped' })], 'start the machine', C('dev-box', 'office-pc')),
  s([vm('windows', 'Windows'), file('budget-q1', 'budget-q1.xlsx', 'windows'), file('budget-q2', 'budget-q2.xlsx', 'windows')], 'open the budget spreadsheet', C('budget-q1', 'budget-q2')),
  s([vm('linux', 'Linux'), surf('terminal', 'Terminal', 'linux', null)], 'hmm, let me take another look at that', C('restore', 'inspect'),
    [h(-9000, 'close the terminal', 'close', 'terminal'), ev(-8900, 'surface.closed', 'terminal')]),
  s([vm('ubuntu', 'Ubuntu'), vm('dev-box', 'Dev box')], 'is it running?', C('ubuntu', 'dev-box')),
  s([vm('debian', 'Debian', {}, { subsystem: 'linux' }), vm('fedora', 'Fedora', {}, { subsystem: 'linux' }), vm('windows', 'Windows', {}, { subsystem: 'windows' })], 'pause the linux vm', C('debian', 'fedora')),
  s([vm('linux', 'Linux'), snap('snap-1', 'Linux - Monday', 'linux'), snap('snap-2', 'Linux - Tuesday', 'linux')], 'roll back linux', C('snap-1', 'snap-2')),
  s([vm('linux', 'Linux'), surf('terminal-1', 'Terminal', 'linux', [100, 100, 700, 500], 1), surf('terminal-2', 'Terminal', 'linux', [900, 100, 700, 500], 1)], 'move the terminal to the left', C('terminal-1', 'terminal-2')),
  s([vm('windows', 'Windows'), vm('ubuntu', 'Ubuntu')], 'shut it down', C('windows', 'ubuntu')),
  s([vm('dev-box', 'Dev box', { network: 'off' }), vm('office-pc', 'Office PC', { network: 'off' })], 'reconnect to the internet', C('dev-box', 'office-pc')),
  s([vm('windows', 'Windows'), vm('linux', 'Linux')], 'pause that vm', C('windows', 'linux')),
  s([vm('windows', 'Windows'), surf('word-1', 'Word - letter.docx', 'windows', [100, 100, 800, 700], 1), surf('word-2', 'Word - invoice.docx', 'windows', [1000, 100, 800, 700], 1)], 'close word', C('word-1', 'word-2')),
  s([vm('linux', 'Linux'), vm('windows', 'Windows')], 'look for my vacation photos', C('linux', 'windows')),
];
