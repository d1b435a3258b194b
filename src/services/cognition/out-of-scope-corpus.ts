// Owns the out-of-scope training corpus: requests RayOS does not handle (weather, maths, chat, facts, other apps' jobs), in normalised form.

/**
 * Hand-written, varied on purpose (topics, lengths, question and command forms). These teach the fallback
 * classifier what is NOT a RayOS request; their words also tell the typo corrector which everyday words to leave alone.
 */
export const OUT_OF_SCOPE_CORPUS: readonly string[] = [
  // weather, time, dates
  'what is the weather like today', 'will it rain tomorrow', 'is it going to snow this weekend', 'how hot is it outside', 'weather forecast for paris',
  'do i need an umbrella', 'what is the temperature', 'what time is it', 'what is the date today', 'what day is it', 'when is sunset', 'how many days until christmas',
  'what time is it in tokyo', 'is it cold outside',
  // maths and conversions
  'what is two plus two', 'what is 15 times 7', 'calculate the square root of 144', 'how much is 20 percent of 80', 'convert 10 miles to kilometers',
  'what is 100 divided by 4', 'solve this equation', 'how many ounces in a pound', 'add 5 and 9', 'multiply twelve by eight', 'what is pi',
  // chit-chat
  'tell me a joke', 'how are you', 'how are you doing today', 'who are you', 'what is your name', 'are you a robot', 'do you love me', 'sing me a song', 'i am bored',
  'good morning', 'good night', 'what is the meaning of life', 'tell me a story', 'you are awesome', 'i am hungry', 'i am tired', 'are you there', 'what can you do',
  'do you dream', 'say something funny', 'how old are you', 'where are you from', 'what is your favorite color', 'let us chat', 'i feel sad today',
  // general knowledge and the web
  'who is the president of france', 'what is the capital of australia', 'who won the world cup', 'how tall is mount everest', 'when was the eiffel tower built',
  'who wrote hamlet', 'how far is the moon', 'what is the population of india', 'define serendipity', 'how do you spell necessary', 'what does ephemeral mean',
  'search the web for cheap flights', 'google the best pizza near me', 'look up the news on the internet', 'find a recipe for lasagna online', 'search wikipedia for the roman empire',
  'what is the stock price of apple', 'how is the stock market doing', 'what is the latest news', 'who is playing tonight', 'what was the score of the game',
  'find me a good restaurant nearby', 'how do i bake bread', 'what movies are playing', 'translate hello into french', 'how do you say thank you in spanish',
  // other apps' jobs
  'send an email to my boss', 'email the report to alice', 'text my mom that i am late', 'call bob', 'send a message to the team', 'reply to that email',
  'schedule a meeting for tomorrow at noon', 'add milk to my shopping list', 'remind me to call the dentist', 'set an alarm for seven am', 'set a timer for ten minutes',
  'what is on my calendar today', 'book a table for two', 'order a pizza', 'buy more printer ink', 'order new shoes on amazon', 'pay the electricity bill',
  'play some music', 'play my workout playlist', 'play the next song', 'skip this song', 'turn the volume up', 'turn up the volume', 'mute the sound', 'louder please',
  'pause the song', 'stop the music', 'play a podcast', 'watch a movie', 'record a video', 'take a photo', 'take a selfie', 'print this page', 'print the document',
  'navigate to the airport', 'directions to the nearest gas station', 'how long is my commute', 'call a taxi', 'get me an uber', 'book a flight to london',
  'write a poem about cats', 'write an essay on climate change', 'summarize this article', 'draft a cover letter', 'fix the grammar in my essay',
  'write a python function to sort a list', 'what is a linked list', 'how do i center a div', 'explain quantum physics', 'what is machine learning',
  // smart home and the physical world
  'turn on the lights', 'turn off the kitchen lights', 'dim the lights', 'lock the front door', 'open the garage door', 'close the blinds', 'open the curtains',
  'set the thermostat to 70', 'start the dishwasher', 'start the washing machine', 'turn on the tv', 'switch off the fan', 'make me a coffee', 'feed the cat',
  'open the pod bay doors', 'start the car', 'close the door', 'open the fridge', 'water the plants', 'vacuum the living room', 'walk the dog',
  // things RayOS does not do to its objects
  'delete all my files', 'format the hard drive', 'install photoshop', 'uninstall the game', 'update my drivers', 'download a movie', 'upload the photos',
  'rename the folder', 'copy this text', 'paste it here', 'type my password', 'change my wallpaper', 'make the font bigger', 'increase the brightness',
  'empty the trash', 'clear my browser history', 'change the language to german', 'connect to my bluetooth headphones', 'pair my phone', 'charge the battery',
  'how much battery is left', 'what is my ip address', 'run a virus scan', 'defragment the disk', 'overclock the cpu',
  // idioms made of command words
  'move on', 'come on', 'let it go', 'take it easy', 'calm down', 'chill out', 'focus', 'cheer up', 'shut up', 'hurry up', 'look out', 'watch out', 'go away',
  'get lost', 'hang on a minute', 'break a leg', 'keep it down', 'hold your horses', 'stop it right now', 'open up to me', 'show me love',
  // noise
  'blah blah blah', 'asdf', 'the quick brown fox jumps over the lazy dog', 'testing one two three', 'banana', 'purple monkey dishwasher', 'lorem ipsum dolor sit amet',
  'i like turtles', 'hmm let me think', 'nothing', 'whatever', 'yes', 'maybe later', 'who knows',
];

/** Every word of the corpus. */
export const OUT_OF_SCOPE_WORDS: ReadonlySet<string> = new Set(OUT_OF_SCOPE_CORPUS.flatMap((s) => s.split(' ')));

/** The corpus sentences themselves: a request that is exactly one of them is known to be out of scope. */
export const OUT_OF_SCOPE_SENTENCES: ReadonlySet<string> = new Set(OUT_OF_SCOPE_CORPUS);
