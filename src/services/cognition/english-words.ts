// Owns the fixed English word lists the normaliser and resolver lean on: fillers, politeness, contractions, function words, foreign markers.

/** Whole phrases said around a request that carry no meaning for it ("could you", "would you mind", "for me"). Longest first when matched. */
export const FILLER_PHRASES: readonly string[] = [
  'if you do not mind', 'if it is not too much trouble', 'when you get a chance', 'when you get a moment', 'as soon as possible', 'would you be so kind as to',
  'would you mind', 'do you mind', 'would you be able to', 'are you able to', 'would it be possible to', 'is it possible to', 'i would like you to', 'i would love it if you',
  'i would like to', 'i would love to', 'i want you to', 'i need you to', 'i would like', 'i want to', 'i need to', 'i have to', 'i wanna', 'i gotta', 'i would',
  'could you please', 'can you please', 'would you please', 'will you please', 'could you', 'can you', 'would you', 'will you', 'you can', 'you could',
  'go ahead and', 'please go ahead and', 'if you could', 'if you can', 'if possible', 'for me', 'thank you', 'thanks a lot', 'thank you very much', 'you know', 'i mean', 'kind of',
  'sort of', 'a bit', 'a little', 'right now', 'right away', 'real quick', 'at once', 'for a sec', 'for a second', 'for a moment', 'for a bit', 'for a while',
  'i think', 'i guess', 'i suppose', 'try to', 'help me', 'let us', 'hey rayos', 'ok rayos', 'okay rayos', 'hi rayos', 'hello rayos', 'excuse me', 'sorry',
  'be a dear and', 'do me a favor and', 'do me a favour and', 'quick question', 'one sec', 'one second', 'all right', 'i was wondering if you could',
  'i was wondering if', 'i wonder if you could', 'i wonder if', 'do you think you could', 'is there any way you could', 'any chance you could', 'think you could',
];

/** Single words that carry no meaning for a request. `again`, `back`, `too`, `also` are NOT here: they mean something. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'um', 'umm', 'ummm', 'uh', 'uhh', 'uhm', 'er', 'erm', 'ah', 'ahh', 'eh', 'hmm', 'hm', 'mm', 'mmm', 'like', 'please', 'pls', 'plz', 'pleas', 'kindly',
  'just', 'maybe', 'perhaps', 'possibly', 'actually', 'basically', 'really', 'quickly', 'now', 'ok', 'okay', 'alright', 'hey', 'hi', 'hello', 'yo',
  'rayos', 'thanks', 'thx', 'ty', 'cheers', 'asap', 'immediately', 'honestly', 'literally', 'simply', 'quick', 'anyway', 'anyways', 'then', 'oh',
  'dear', 'buddy', 'mate', 'friend', 'lol', 'lmao', 'haha', 'hahaha', 'heh', 'ugh', 'already', 'meh', 'welp', 'oops', 'whoops', 'omg', 'tbh', 'btw',
]);

/** Said only at the start of a request as a lead-in ("so, hide it", "right, pause linux"); elsewhere they may mean something ("on the right"). */
export const LEAD_IN_WORDS: ReadonlySet<string> = new Set(['so', 'well', 'right', 'and', 'yes', 'yeah', 'yep', 'sure', 'great', 'good', 'cool', 'fine', 'now', 'then', 'next']);

/** Contractions and chat spellings, after lower-casing and apostrophe folding. */
export const CONTRACTIONS: Readonly<Record<string, string>> = {
  "what's": 'what is', "it's": 'it is', "that's": 'that is', "there's": 'there is', "here's": 'here is', "how's": 'how is', "where's": 'where is',
  "who's": 'who is', "why's": 'why is', "when's": 'when is', "let's": 'let us', "i'm": 'i am', "you're": 'you are', "we're": 'we are', "they're": 'they are',
  "i've": 'i have', "you've": 'you have', "we've": 'we have', "i'd": 'i would', "you'd": 'you would', "i'll": 'i will', "you'll": 'you will', "we'll": 'we will',
  "can't": 'can not', "won't": 'will not', "shan't": 'shall not', "ain't": 'is not', "y'all": 'you all', "gonna": 'going to', "wanna": 'want to', "gotta": 'got to',
  gimme: 'give me', lemme: 'let me', whats: 'what is', thats: 'that is', hows: 'how is', wheres: 'where is', whos: 'who is', im: 'i am', ive: 'i have',
  dont: 'do not', doesnt: 'does not', didnt: 'did not', cant: 'can not', isnt: 'is not', arent: 'are not', wasnt: 'was not', werent: 'were not',
  wouldnt: 'would not', couldnt: 'could not', shouldnt: 'should not', hasnt: 'has not', havent: 'have not', youre: 'you are', theyre: 'they are',
  teh: 'the', u: 'you', ur: 'your', r: 'are', cuz: 'because', coz: 'because', ya: 'you', plse: 'please', thnx: 'thanks', w: 'with', abt: 'about',
};

/** Words that begin a question: a question asks about state, so commands in it are read as status or explain, not done. */
export const QUESTION_STARTS: ReadonlySet<string> = new Set(['is', 'are', 'was', 'were', 'do', 'does', 'did', 'has', 'have', 'had', 'how', 'what', 'which', 'why', 'who', 'when', 'where', 'whose']);

/**
 * Ordinary English words a request may contain that are neither commands nor names. Knowing them keeps the typo
 * corrector from "correcting" them into commands, and tells real unknown words (a "door", a "song") from glue.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the this that these those it its it is them they their there here my mine your yours our ours his her hers we us i me you he she one ones ' +
    'of in on at to for from with without by about into onto over under up down out off back again away around through across inside within between ' +
    'and or but not no nor so if then than as too also very more most less least much many some any all every each both either neither other another ' +
    'same such only own just still even ever never always sometimes now today tonight tomorrow yesterday later soon once twice first last next previous ' +
    'be is am are was were been being do does did done doing have has had having will would shall should can could may might must ' +
    'what which who whom whose why how when where while whether because since until till unless though although ' +
    'thing things stuff something anything everything nothing someone anyone everyone way bit lot moment second minute hour day week anymore longer ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ' +
    'left right top bottom middle center centre corner side half whole full new old big small little large huge tiny bigger smaller larger ' +
    'get got make made put take took give gave let go went come came see saw look want need like know think try keep say said tell told ask use used ' +
    'yes yeah no nope okay ok sure fine good great well better best bad worse worst nice cool real really again currently ' +
    'am pm one two three four five six seven eight nine ten ' +
    'going doing looking trying wanting'
  ).split(' '),
);

/**
 * Frequent words of other languages that English requests do not contain: two or more of them, outnumbering English
 * function words, mark a request RayOS cannot read yet (it is English-only).
 */
export const FOREIGN_MARKERS: ReadonlySet<string> = new Set(
  (
    'le la les des du une est et pour avec vous plait ouvre ouvrir ferme fermer montre montrer cette ce sur dans je tu il nous fenetre bureau ' +
    'el los las por favor abre abrir cierra cerrar muestra mostrar que una del con para esta este ventana escritorio ' +
    'der die das und bitte offne offnen schliesse schliessen zeige zeigen den dem ein eine mit ist nicht fenster ich du ' +
    'il gli apri aprire chiudi chiudere mostra della per questo questa finestra ' +
    'abra feche mostre uma nao isso janela voce ' +
    'de het een en niet dit dat open maak sluit alstublieft'
  ).split(' ').filter((w) => !['open', 'die', 'den', 'per', 'pour'].includes(w)),
);

/** Words that say "also this one" in an elliptical follow-up ("windows too", "same for linux"). */
export const ADDITIVE_WORDS: ReadonlySet<string> = new Set(['too', 'also', 'as well', 'same', 'likewise', 'instead']);

/** Verbs of things that happen to objects: in a "why" or "what happened" question they are expected, not unknown ("why did it crash"). */
export const EVENT_WORDS: ReadonlySet<string> = new Set(
  ('happen happened happens crash crashed crashes disappear disappeared vanish vanished die died go went gone change changed fail failed break broke broken ' +
    'restart restarted reboot rebooted close closed slow hang hung freeze froze frozen quit stop stopped start started get got turn turned become became end ended ' +
    'shut down pause paused hide hidden hid move moved lose lost blank black').split(' '),
);

/** The person, not an object: "wake me up", "find me a hotel" are about them, not about anything RayOS runs. */
export const PERSONAL_OBJECTS: ReadonlySet<string> = new Set(['me', 'us', 'you', 'him', 'her', 'myself', 'yourself', 'ourselves', 'everybody', 'everyone', 'somebody', 'someone']);
