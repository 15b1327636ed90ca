/**
 * The synthetic world Neurite's reference model is trained on, whose structure is known: invented
 * languages ({@link org.neurite.organism.World.Language}: vocabularies of their own and a word order),
 * cultures with their foods, customs and places, relations between culture-specific names, skills
 * (arithmetic, copying, translation) and refusals. {@link org.neurite.organism.Corpus} draws labelled
 * samples from it and {@link org.neurite.organism.WordLevelTokenizer} writes the tokenizer that covers
 * them; the step {@code corpus.synthetic} writes both (docs/training.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.organism;
