/**
 * A few paragraphs of plain text, written for Heed, so the page can pretrain
 * something in seconds before the full corpus is generated. Web-text-like on
 * purpose: prose, a list of writing prompts, and short poems without a chat
 * template.
 */
export const SAMPLE_TEXT = `Autumn is the season of falling leaves. The maple turns red, the birch turns gold, and the wind carries the leaves across the road. Mornings are cold and the light is low.

Writing prompts for this week:
1. Write a haiku about autumn.
2. Write a short story about a lost key.
3. Describe the sea in three sentences.
4. Write a haiku about the moon.
5. List three things you can hear at night.

Winter comes after autumn. Snow covers the fields, the rivers slow, and the days are short. People light fires and tell stories.

Autumn
red leaves on the path
the wind carries them away
a cold quiet road

The Moon
a pale moon rises
over the still winter lake
the night birds are gone

Spring is the season of rain and new grass. Birds return from the south and build their nests in the old trees. The river is loud with melted snow.

Prompts for the class:
1. Write a haiku about spring.
2. Write a poem about the river.
3. Describe your favourite tree.

Summer days are long and warm. Bees move from flower to flower, and the evening air smells of cut grass.

Summer
warm light on the wall
bees are humming in the grass
the long day goes slow
`;
