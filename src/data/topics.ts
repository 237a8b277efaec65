/**
 * Topics Heed writes about, each with words that belong to it, split into a
 * training set and a held-out set. Held-out topics never appear in an
 * instruction pair, but they do appear in the pretraining corpus: knowledge
 * comes from pretraining, behaviour from tuning. "autumn" is held out on
 * purpose, so the headline prompt is one the tuned model never saw.
 */

export interface Topic {
  name: string;
  category: string;
  words: string[]; // related words, lowercase
}

const TABLE: Record<string, string> = {
  season: `autumn|leaves maple harvest chill amber; winter|snow frost ice cold pine; spring|blossom rain buds green lambs;
    summer|sun heat bees long days; harvest|grain wheat barn fields corn; solstice|sun light longest year turn`,
  weather: `rain|drops clouds puddles grey wet; snow|flakes white drift cold hush; wind|gusts leaves sway breeze air;
    storm|thunder lightning dark clouds roar; fog|mist grey damp hidden soft; thunder|storm rumble sky loud night;
    rainbow|colors arc light rain sky; frost|ice white glass cold morning; hail|ice stones loud roof cold;
    drought|dust dry cracked fields heat; mist|fog damp dawn veil grey; breeze|air cool soft leaves sway;
    clouds|sky grey white drift rain; lightning|flash storm bright sky sudden; heatwave|sun heat dry sweat noon`,
  animal: `owl|night wings hoot tree eyes; fox|red tail den woods quick; deer|antlers forest doe fawn quiet;
    crow|black wings caw field bird; heron|pond reeds wading grey still; frog|pond croak green lily leap;
    bear|den honey forest fur sleep; wolf|howl pack moon forest grey; rabbit|burrow ears grass hop quick;
    salmon|river swim upstream silver fish; whale|sea song deep blue vast; swan|lake white neck glide grace;
    cat|whiskers purr paws nap window; dog|bark tail walk loyal friend; horse|mane gallop field hooves stable;
    bee|hive honey flowers buzz wings; butterfly|wings flowers bright summer drift; spider|web silk thread corner dew;
    sparrow|small bird seeds hedge chirp; eagle|wings sky cliff high hunt; turtle|shell slow pond sand old;
    snail|shell slow trail leaf rain; squirrel|acorns tree tail nuts quick; cricket|chirp night grass song summer;
    moth|lamp night wings dust soft; goose|flock honk south field grey; duck|pond quack water reeds ripple;
    hawk|sky circle hunt wings high; mouse|small grain quiet barn whiskers; goat|hill horns grass bleat rocks;
    crab|shore sand claws tide shell; seal|ice sea swim grey rocks; lamb|spring wool field soft mother;
    firefly|light night glow summer field; dragonfly|pond wings blue summer hover`,
  plant: `maple|leaves red tree syrup autumn; oak|acorns tree old strong branches; pine|needles green forest cones scent;
    willow|river branches green weeping soft; cherry|blossom pink spring petals tree; rose|petals red thorns garden bloom;
    moss|green stone soft damp forest; fern|green fronds forest shade damp; bamboo|green stalks wind grove tall;
    lotus|pond petals white still water; sunflower|yellow tall sun seeds field; tulip|red spring petals bulb garden;
    daisy|white petals field sun small; ivy|wall green climbing vine leaves; clover|green field leaves bees luck;
    mushroom|forest rain damp cap ground; birch|white bark tree leaves gold; cedar|tree scent wood tall green;
    lavender|purple scent field bees calm; reeds|pond wind marsh water tall; apple|tree red fruit orchard autumn;
    grass|green field blades dew wind; seeds|soil spring grow small garden; vine|grapes leaves climbing green summer`,
  place: `mountain|peak snow rock high cliff; river|water flow stones bank fish; ocean|waves salt tide deep blue;
    forest|trees path moss shade birds; desert|sand dunes heat dry sun; meadow|grass flowers field bees green;
    lake|water still reeds shore calm; beach|sand waves shells shore sun; village|houses lanes roofs smoke bells;
    city|streets lights towers crowds noise; garden|flowers soil seeds paths bloom; island|sea shore palms waves alone;
    valley|hills river green mist fields; cave|dark stone echo cold deep; harbor|boats ships docks gulls tide;
    bridge|river stone arch cross water; market|stalls fruit voices crowd bread; library|books shelves quiet pages read;
    lighthouse|light sea rocks beam night; train station|platform trains clock steam bench; farm|barn fields cows tractor hay;
    temple|bells stone incense quiet old; marsh|reeds water birds mud still; cliff|rocks sea edge high wind;
    pond|water frogs lily still reeds; road|path dust travel long stones; waterfall|water falls spray rocks roar;
    orchard|trees apples rows fruit autumn; shore|sand waves tide shells sea; hill|grass slope green sheep wind`,
  object: `lantern|light flame glow night paper; candle|flame wax light glow dark; kettle|steam water tea whistle hot;
    teacup|tea steam warm cup morning; bell|ring sound bronze temple tone; clock|time ticks hands hours hour;
    mirror|glass face light reflect still; book|pages words story paper read; letter|words paper ink envelope send;
    umbrella|rain handle open shelter wet; kite|wind string sky paper high; boat|water sail oars float river;
    window|glass light view rain pane; door|open close key wood threshold; chair|wood seat rest old porch;
    blanket|warm wool soft bed cold; piano|keys music notes play song; violin|strings bow music song bright;
    bicycle|wheels ride road pedals spin; compass|north needle map travel way; map|roads paths north lines travel;
    key|lock door metal turn small; rope|knot coil boat tie long; basket|woven fruit carry reeds handle;
    spoon|soup silver bowl eat small; scarf|wool warm neck winter red; shoes|feet walk laces road worn;
    coin|silver round metal shine pocket; ladder|rungs climb wood tall wall; fence|posts wood field line gate`,
  feeling: `joy|smile laugh bright light warm; sadness|tears grey quiet rain alone; hope|light morning seed tomorrow bright;
    fear|dark shadow shiver night cold; love|heart warm hands near tender; anger|fire heat red storm loud;
    calm|still quiet breath soft peace; longing|far away wish distant miss; wonder|stars awe eyes open sky;
    loneliness|empty alone quiet room night; gratitude|thanks warm gift heart kind; nostalgia|memory old photo past home;
    peace|quiet still calm rest dove; courage|brave heart strong stand fire; patience|wait slow calm time steady;
    curiosity|question look open find new; pride|head high work proud done; shyness|quiet blush small hide soft;
    friendship|friend laugh share hands together; grief|loss tears heavy quiet rain`,
  time: `dawn|light sun birds morning pale; dusk|evening light fade shadows gold; midnight|dark moon stars quiet clock;
    morning|sun light dew coffee birds; evening|lamps dusk quiet home rest; noon|sun heat bright shade high;
    twilight|dusk stars fade blue dim; night|moon stars dark owl quiet; sunrise|sun gold sky dawn light;
    sunset|sun red sky evening fade; new year|bells midnight fresh start snow; birthday|cake candles wish friends gift;
    weekend|rest sleep friends slow free; holiday|travel rest sun family trip; school day|bell books class desk friends`,
  sky: `moon|night light silver full pale; stars|night sky bright dark many; sun|light warm bright day sky;
    comet|tail sky light bright rare; eclipse|dark moon sun shadow rare; galaxy|stars vast spiral dark light`,
  activity: `fishing|line river fish wait hook; gardening|soil seeds water dig grow; baking|bread oven flour warm sweet;
    walking|path feet road slow steps; reading|book pages words quiet chair; swimming|water waves arms cool lake;
    painting|colors brush canvas paint light; singing|voice song notes music loud; dancing|feet music spin steps joy;
    cooking|pot soup kitchen fire salt; sailing|wind sails boat sea waves; camping|tent fire stars woods night;
    skating|ice glide cold rink spin; hiking|trail mountain boots path climb; sleeping|bed dreams night rest quiet;
    writing|words pen paper ink page; knitting|wool needles scarf warm yarn; climbing|rock hands high rope cliff`,
  food: `tea|cup steam leaves warm green; bread|oven crust flour warm loaf; soup|bowl hot steam spoon winter;
    honey|bees sweet gold jar slow; rice|bowl grain white steam field; plums|fruit purple sweet tree summer;
    pumpkin|orange autumn field seeds round; orange|fruit sweet round juice bright; coffee|cup morning bitter warm dark;
    lemon|sour yellow fruit tree bright`,
};

/** Held out of every instruction pair (at least 30, across categories). */
export const HELD_OUT_TOPICS = new Set([
  'autumn', 'solstice', 'fog', 'hail', 'owl', 'heron', 'salmon', 'moth', 'firefly', 'willow', 'lotus', 'moss',
  'lavender', 'desert', 'lighthouse', 'marsh', 'waterfall', 'lantern', 'kettle', 'compass', 'ladder', 'nostalgia',
  'curiosity', 'grief', 'dusk', 'twilight', 'comet', 'eclipse', 'knitting', 'skating', 'plums', 'lemon', 'crab',
  'temple',
]);

export const TOPICS: Topic[] = Object.entries(TABLE).flatMap(([category, block]) =>
  block
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, related] = entry.split('|');
      return { name: name.trim(), category, words: related.trim().split(/\s+/) };
    }),
);

export type Split = 'train' | 'heldout';

export function topicsFor(split: Split): Topic[] {
  return TOPICS.filter((t) => HELD_OUT_TOPICS.has(t.name) === (split === 'heldout'));
}

export function findTopic(name: string): Topic | undefined {
  return TOPICS.find((t) => t.name === name.toLowerCase());
}
