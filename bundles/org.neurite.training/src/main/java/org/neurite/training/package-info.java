/**
 * Training Llama-family models of the models bundle on DJL autograd: {@link org.neurite.training.Trainer}
 * runs AdamW ({@link org.neurite.training.AdamW}) with a warm-up and cosine schedule
 * ({@link org.neurite.training.CosineSchedule}), gradient clipping by total L2 norm
 * ({@link org.neurite.training.GradientClipping}) and the mean next-token cross-entropy
 * ({@link org.neurite.training.NextTokenLoss}), writing Hugging Face checkpoints with the optimizer's
 * state beside them ({@link org.neurite.training.CheckpointStore}) so that a stopped run resumes
 * bit-identically. docs/training.md describes the step {@code train.lm} built on it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.training;
