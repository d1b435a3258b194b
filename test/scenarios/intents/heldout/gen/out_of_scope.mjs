// out_of_scope: requests RayOS cannot act on (general knowledge, maths, chit-chat, errands, other languages,
// gibberish, empty-ish input, emoji, rambling), plus casual near-misses that ARE commands.
export default function outOfScope({ vm, surface, app, file, snapshot, scene, X, OOS }) {
  const scenes = [
    () =>
      scene([
        vm('linux', 'Linux', 'linux', { power: 'running', presented: false, network: 'on' }),
        vm('windows', 'Windows', 'windows', { power: 'running', presented: false, network: 'on' }),
      ]),
    () =>
      scene([
        vm('linux', 'Ubuntu', 'linux', { power: 'running', network: 'on' }),
        vm('windows', 'Windows 11', 'windows', { power: 'paused', network: 'on' }),
        surface('linux-desktop', 'Linux desktop', 'linux', [40, 60, 1200, 800], 1),
        app('terminal', 'Terminal', 'linux'),
        app('excel', 'Excel', 'windows'),
      ]),
    () =>
      scene([
        vm('linux', 'Linux', 'linux', { power: 'running', presented: true, network: 'on' }, [0, 0, 1920, 1080], 1),
        vm('windows', 'Windows', 'windows', { power: 'stopped', presented: false, network: 'off' }),
        file('report', 'report.pdf', 'linux'),
        snapshot('snap-1', 'clean install', 'linux'),
      ]),
  ];
  const oos = [
    "what's the weather going to be like in lisbon this weekend?",
    'what is 17 times 23',
    'tell me a joke',
    'who wrote pride and prejudice',
    "send an email to my boss saying I'll be late",
    'order more printer ink from amazon',
    'set a timer for ten minutes',
    'play some jazz',
    "translate 'good morning' into italian",
    '¿qué tiempo hará mañana en madrid?',
    'Wie spät ist es gerade in Tokio?',
    '今日の天気はどうですか',
    "quelle est la capitale de l'Australie ?",
    'asdf qwer zxcv',
    'blorp fnargle wibble',
    ' ',
    '...',
    'hmm',
    '🍕🍕🍕',
    '👍',
    "so last summer we went to portugal and the beaches were amazing, honestly the best trip we've had in years, " +
      'my sister kept saying we should go back in october when it is quieter and the water is still warm, and I think ' +
      "she's right, but then again flights are expensive in the autumn and I don't know if I can get the time off work, " +
      'anyway that is what I have been thinking about all morning instead of doing anything useful',
    "what's the meaning of life",
    'how do I make fluffy pancakes',
    'book a flight to berlin for next friday',
    'how much is bitcoin worth right now',
    'remind me to call mom at 6',
    'who won the football game last night',
    'who invented linux',
    'write me a poem about windows',
    "what's the square root of 1764",
    'how many calories are in a banana',
    'call an uber to the airport',
    "what's on my calendar tomorrow",
    "text sarah that I'm running late",
    'summarize the news for me',
    'recommend a good sci-fi book',
    'convert 30 celsius to fahrenheit',
    'can you help me with my chemistry homework',
    "what's the capital of mongolia",
    'sing me happy birthday',
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit',
    'alexa, turn on the kitchen lights',
    'Ich möchte eine Pizza mit Salami bestellen',
    '😂😂😂 lol',
    'so I was thinking, you know, about how computers used to be beige boxes and now everything is a laptop or a ' +
      "phone, and whether that's really progress or just a different kind of clutter, I mean what do you even think about that",
    'zzzzzzzz',
    'what year did the berlin wall fall',
  ];
  const cases = oos.map((text, i) => ({ scene: scenes[i % scenes.length](), u: text, expect: OOS }));

  // near-misses: casual, but in scope
  const s0 = scenes[0];
  const withApps = () =>
    scene([
      vm('linux', 'Ubuntu', 'linux', { power: 'running', presented: false, network: 'on' }),
      vm('windows', 'Windows', 'windows', { power: 'running', presented: false, network: 'on' }),
      app('terminal', 'Terminal', 'linux'),
      app('firefox', 'Firefox', 'linux'),
      app('excel', 'Excel', 'windows'),
      app('notepad', 'Notepad', 'windows'),
    ]);
  cases.push(
    { scene: s0(), u: 'can I see linux?', expect: X('present', 'linux') },
    { scene: s0(), u: 'lemme look at windows real quick', expect: X('present', 'windows') },
    { scene: withApps(), u: 'hey, is ubuntu still alive?', expect: X('status', 'linux') },
    { scene: withApps(), u: 'gimme a fresh terminal on linux', expect: X('launch', 'terminal', { app: 'terminal' }) },
    { scene: withApps(), u: 'put ubuntu on hold for a sec', expect: X('pause', 'linux') },
    { scene: s0(), u: 'mind freezing the windows machine for a moment?', expect: X('pause', 'windows') },
    { scene: s0(), u: "what's windows up to right now?", expect: X('status', 'windows') },
    { scene: s0(), u: 'yank the internet from the windows box', expect: X('network_off', 'windows') },
    { scene: withApps(), u: 'take a quick snapshot of ubuntu before I mess it up lol', expect: X('snapshot', 'linux') },
    { scene: s0(), u: 'ugh, just kill the windows vm', expect: X('stop', 'windows') },
    { scene: s0(), u: 'dig through windows for resume drafts', expect: X('search', 'windows', { query: 'resume drafts' }) },
    { scene: s0(), u: 'bring linux up on screen pls', expect: X('present', 'linux') },
    { scene: s0(), u: 'lol ok pause linux', expect: X('pause', 'linux') },
    { scene: s0(), u: "windows is being weird, what's going on with it?", expect: X('status', 'windows') },
    { scene: withApps(), u: 'could ya fire up excel over on windows', expect: X('launch', 'excel', { app: 'excel' }) },
    { scene: s0(), u: 'honestly just show me the windows desktop, thanks 🙏', expect: X('present', 'windows') },
    { scene: s0(), u: "hey what's the weather... no wait, pause linux", expect: X('pause', 'linux') },
  );
  return cases;
}
