// out_of_scope: general knowledge, chit-chat, other apps' jobs, other languages, gibberish, emoji, very long text.
// Mixed in: casual, slangy phrasings that ARE RayOS requests (execute), so "casual" is not a shortcut to out_of_scope.
import { vm, surf, app, file, ex, oos, sc, ev } from './lib.mjs';

const home = () => [
  vm('ubuntu', 'Ubuntu', 'linux'),
  vm('windows', 'Windows', 'windows', {}, [100, 80, 1400, 860], 1),
  app('firefox', 'Firefox', 'linux'),
  app('notepad', 'Notepad', 'windows'),
];
const work = () => [
  vm('work-vm', 'Work VM', 'linux'),
  vm('gaming-pc', 'Gaming PC', 'windows', { power: 'stopped' }),
  surf('terminal-win', 'Terminal', 'linux', [200, 150, 900, 600], 1),
  file('notes', 'notes.txt', 'linux'),
];
const o = (u, objs = home()) => sc({ objs, u, expect: oos() });

const LONG_RECIPE = `Okay so here is the recipe my grandmother used for the apple cake, I am pasting it so I don't lose it. ` +
  `Preheat to 180 degrees. Start by peeling six tart apples and slicing them thin, then toss them with the juice of half a lemon ` +
  `and two tablespoons of sugar so they don't brown. In a big bowl beat three eggs with a cup of sugar until pale and thick, ` +
  `which takes about five minutes with a hand mixer, pause now and then to scrape the sides. Add half a cup of melted butter, ` +
  `a splash of vanilla and a pinch of salt. Fold in a cup and a half of flour with two teaspoons of baking powder, gently, ` +
  `you don't want to knock the air out. Pour half the batter into a buttered springform, lay half the apples on top, then the ` +
  `rest of the batter and the rest of the apples in a nice spiral. Sprinkle with cinnamon and a little more sugar. Bake for ` +
  `fifty to fifty-five minutes until a skewer comes out clean. Let it rest for twenty minutes before you take the ring off. ` +
  `She always said it tastes better the next day, and honestly she was right, it gets moist and the apples settle. ` +
  `Serve with whipped cream or vanilla ice cream. If you use sweeter apples cut the sugar a bit.`;

const LONG_STORY = `So yesterday was honestly one of the strangest days I have had in a while. I woke up late because the power had ` +
  `gone out overnight and my alarm never rang, then I found out the bakery on the corner had closed for good, which is sad ` +
  `because I have been buying bread there for eleven years. On the way to the station I ran into an old friend from school ` +
  `who I had not seen since we were maybe nineteen, and we ended up talking for almost an hour about everyone we used to know, ` +
  `who got married, who moved abroad, who became a dentist of all things. I missed two trains. When I finally got to the office ` +
  `the coffee machine was broken and there was a note on it that just said "sorry" in very small handwriting. In the afternoon ` +
  `it started raining so hard that the street flooded and people were wading through it with their shoes in their hands. ` +
  `I got home soaked, made soup, and fell asleep on the sofa at eight thirty. Anyway I don't really know why I am telling you all ` +
  `of this, I guess I just wanted to write it down somewhere before I forget the details.`;

const LONG_QUESTION = `I have been reading about the history of the printing press and I keep running into conflicting accounts. ` +
  `Some sources say Gutenberg's press around 1440 was the first movable type system, but others point out that Bi Sheng in ` +
  `China used movable clay type around 1040 and that metal type was used in Korea before Gutenberg, with the Jikji printed ` +
  `in 1377. What I want to understand is why the European press had such an outsized effect compared with the earlier Asian ` +
  `inventions. Was it the alphabet with its small number of characters, the economics of paper, the oil-based inks, the ` +
  `screw press borrowed from wine making, or the political fragmentation that meant no single authority could suppress ` +
  `printing? And how quickly did it actually spread, city by city, in the first fifty years? A detailed answer would be great.`;

export default [
  // ---- general knowledge ----
  o("what's the capital of australia?"),
  o('how tall is mount everest', work()),
  o('who won the world cup in 2018'),
  o("what's 17 times 23", work()),
  o('what is the meaning of life'),
  o('how many calories are in a banana', work()),
  o('What year did the Berlin Wall fall?'),
  o('how do I install python on ubuntu'),
  o('what is a virtual machine, exactly?', work()),
  o("what's the difference between linux and windows"),
  o('convert 50 usd to euros', work()),
  o("what's the bitcoin price right now"),
  // ---- chit-chat ----
  o('tell me a joke'),
  o('how are you today?', work()),
  o('good morning rayos'),
  o('thank you!', work()),
  o("i'm bored"),
  o('lol', work()),
  o('you are pretty cool, you know that?'),
  o('write me a poem about windows'),
  o('can you recommend a good sci-fi book', work()),
  // ---- other apps' jobs ----
  o("send an email to sarah saying i'll be late"),
  o('order me a large pepperoni pizza', work()),
  o('book a flight to berlin next friday'),
  o('call mom', work()),
  o('remind me to buy milk tomorrow'),
  o('schedule a meeting with the design team at 3pm', work()),
  o('play some jazz'),
  o('make me a cup of coffee', work()),
  o("translate 'where is the train station' into japanese"),
  // ---- other languages (and the content is out of scope too) ----
  o('¿qué tiempo hace hoy en madrid?'),
  o('wie spät ist es in tokio?', work()),
  o('quel est le meilleur restaurant à paris ?'),
  o('日本の首都はどこですか'),
  o('привет, как дела?', work()),
  // ---- gibberish, emoji, punctuation ----
  o('asdfgh jkl qwerty'),
  o('lkjsdf poiu zzxv ?', work()),
  o('🙂🙂🙂'),
  o('👍', work()),
  o('🎉🔥💯'),
  o('?????', work()),
  o('mmmmmmmmmmmmmmmmmmm'),
  // ---- very long text ----
  o(LONG_RECIPE),
  o(LONG_STORY, work()),
  o(LONG_QUESTION),
  // ---- casual phrasings that ARE in scope ----
  sc({ objs: [vm('ubuntu', 'Ubuntu', 'linux'), vm('windows', 'Windows', 'windows')], u: 'yo can u pull up the windows box real quick', expect: ex('present', 'windows') }),
  sc({ objs: home(), u: 'ugh just kill the ubuntu vm already', expect: ex('stop', 'ubuntu') }),
  sc({ objs: [vm('linux', 'Linux', 'linux'), vm('windows', 'Windows', 'windows')], u: 'lemme see the linux desktop', expect: ex('present', 'linux') }),
  sc({ objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux')], u: 'hey rayos, pause the gaming pc for a sec', expect: ex('pause', 'gaming-pc') }),
  sc({ objs: home(), u: 'WINDOWS. SNAPSHOT. NOW.', expect: ex('snapshot', 'windows') }),
  sc({ objs: home(), u: 'could u plz launch firefox thx', expect: ex('launch', 'firefox', { app: 'firefox' }) }),
  sc({ objs: work(), u: 'uhh hide the terminal i guess', expect: ex('hide', 'terminal-win') }),
  sc({ objs: home(), u: 'ok so search ubuntu for tax stuff', expect: ex('search', 'ubuntu', { query: 'tax stuff' }) }),
  sc({ objs: work(), u: 'is the work vm alive?', expect: ex('status', 'work-vm') }),
  sc({ objs: home(), u: 'brb, suspend my windows machine', expect: ex('suspend', 'windows') }),
  sc({ objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'paused' }), vm('windows', 'Windows', 'windows')], u: 'thx! now resume ubuntu', expect: ex('resume', 'ubuntu') }),
  sc({ objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux')], u: 'gimme the details on the gaming pc', expect: ex('inspect', 'gaming-pc') }),
  sc({ objs: home(), u: 'kill the wifi on windows', expect: ex('network_off', 'windows') }),
  sc({
    objs: [vm('ubuntu', 'Ubuntu', 'linux', { power: 'suspended' }), vm('windows', 'Windows', 'windows')],
    history: [ev(-120000, 'vm.suspended', 'ubuntu')],
    u: "why'd you suspend ubuntu??",
    expect: ex('explain', 'ubuntu'),
  }),
  sc({ objs: [surf('firefox-win', 'Firefox', 'linux', [200, 100, 1200, 800], 1), vm('linux', 'Linux', 'linux')], u: 'close firefox pls 🙏', expect: ex('close', 'firefox-win') }),
  sc({ objs: [vm('gaming-pc', 'Gaming PC', 'windows'), vm('work-vm', 'Work VM', 'linux', {}, [100, 100, 1200, 800], 1)], u: 'can you show me the gaming pc? thanks!', expect: ex('present', 'gaming-pc') }),
  sc({ objs: [vm('windows', 'Windows', 'windows', { power: 'stopped' }), vm('ubuntu', 'Ubuntu', 'linux')], u: 'good morning! boot windows for me would ya', expect: ex('start', 'windows') }),
];
