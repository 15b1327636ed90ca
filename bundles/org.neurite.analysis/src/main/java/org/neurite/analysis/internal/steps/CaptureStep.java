package org.neurite.analysis.internal.steps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.capture.ActivationShards;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.intervene.HookWidths;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code capture}: a hook point's values over a dataset, pooled as the statistics are, written to
 * disk as safetensors shards with a manifest ({@link ActivationShards}); what sparse dictionaries
 * and probes train on. Memory is one shard whatever the dataset's size.
 */
@Component(service = Step.class)
@NeuriteStep(name = "capture")
public final class CaptureStep implements Step {
  private static final StepSpec SPEC = PooledRows.params(DatasetLoop.params(StepSpec.named("capture")
      .summary("activations at hook points over a dataset, pooled, written as safetensors shards")
      .input("model", LanguageModel.class, "the model")
      .input("dataset", Dataset.class, "the examples, with their groups")
      .param(ParamSpec.optional("shard_rows", ParamType.INTEGER, "4096", "rows per shard file"))))
      .output("activations", Path.class, "the manifest (capture.json) of the shards")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    PooledRows rows = PooledRows.of(context, model);
    Positions positions = rows.positions();
    Pooling pooling = rows.pooling();
    int shardRows = (int) Steps.positive(context, "shard_rows");
    List<String> hooks = rows.hooks();
    List<String> groups = StepInputs.groups(context, dataset);
    Map<String, Integer> widths = new LinkedHashMap<>();
    for (String hook : hooks) {
      widths.put(hook, HookWidths.of(model.spec(), hook));
    }
    long bytes = (long) shardRows * widths.values().stream().mapToLong(Integer::longValue).sum() * Float.BYTES;
    if (bytes > Integer.MAX_VALUE) {
      throw Steps.bad(context, "shard_rows", shardRows + " rows of " + widths.values().stream().mapToInt(i -> i).sum()
          + " units make a shard of " + bytes / (1 << 20) + " MiB; give fewer rows per shard.");
    }
    Hooks recording = rows.recording();
    ShardBuffer buffer = new ShardBuffer(context, widths, shardRows);
    long[] seen = {0};
    DatasetLoop.run(context, model, dataset, "capturing", batch -> {
      try {
        add(batch, model, recording, widths, positions, pooling, groups, seen[0], buffer, context);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("writing a shard of step " + context.stepId() + " failed", e);
      }
      seen[0] += batch.examples().size();
    });
    List<ActivationShards.ShardEntry> shards = buffer.finish();
    context.metric("rows", "", buffer.rows());
    ActivationShards.Manifest manifest = new ActivationShards.Manifest(widths, groups,
        positions.name().toLowerCase(Locale.ROOT), pooling.name().toLowerCase(Locale.ROOT), buffer.rows(), shards);
    return StepResult.of("activations", Steps.writeJson(context, "capture.json", ActivationShards.KIND,
        ActivationShards.toJson(manifest)));
  }

  private static void add(Batches.Batch batch, LanguageModel model, Hooks record, Map<String, Integer> widths,
      Positions positions, Pooling pooling, List<String> groups, long firstExample, ShardBuffer buffer,
      StepContext context) throws Exception {
    float[] mask = positions.mask(batch);
    TokenBatch tokens = batch.tokens();
    int length = tokens.length();
    int sequences = batch.examples().size();
    // which rows the pooling gives, and which of them are kept: a pooled sequence with no chosen token is left out
    int[] sourceRows;
    long[] example;
    long[] position;
    long[] group;
    boolean[] keep;
    if (pooling.perToken()) {
      int n = 0;
      for (float m : mask) {
        n += m != 0 ? 1 : 0;
      }
      example = new long[n];
      position = new long[n];
      group = new long[n];
      keep = null;
      int r = 0;
      for (int k = 0; k < mask.length; k++) {
        if (mask[k] != 0) {
          int b = k / length;
          example[r] = firstExample + b;
          position[r] = (k % length) - tokens.firstReal(b);
          group[r] = StepInputs.groupIndex(batch.examples().get(b).group(), groups);
          r++;
        }
      }
      sourceRows = null;
    } else {
      keep = new boolean[sequences];
      int n = 0;
      for (int b = 0; b < sequences; b++) {
        for (int t = 0; t < length && !keep[b]; t++) {
          keep[b] = mask[b * length + t] != 0;
        }
        n += keep[b] || pooling == Pooling.MAX_WITH_PADDING ? 1 : 0;
      }
      example = new long[n];
      position = new long[n];
      group = new long[n];
      sourceRows = new int[n];
      int r = 0;
      for (int b = 0; b < sequences; b++) {
        if (keep[b] || pooling == Pooling.MAX_WITH_PADDING) {
          sourceRows[r] = b;
          example[r] = firstExample + b;
          position[r] = -1;
          group[r] = StepInputs.groupIndex(batch.examples().get(b).group(), groups);
          r++;
        }
      }
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    try (var scope = context.backend().newScope(context.device())) {
      var forward = model.forward(tokens, record, scope);
      for (Map.Entry<String, Integer> e : widths.entrySet()) {
        NDArray rows = pooling.pool(forward.recorded(e.getKey()), mask, scope);
        float[] all = rows.toType(DataType.FLOAT32, false).toFloatArray();
        values.put(e.getKey(), sourceRows == null ? all : select(all, sourceRows, e.getValue()));
      }
    }
    buffer.add(values, example, position, group);
  }

  private static float[] select(float[] rows, int[] chosen, int units) {
    float[] out = new float[chosen.length * units];
    for (int r = 0; r < chosen.length; r++) {
      System.arraycopy(rows, chosen[r] * units, out, r * units, units);
    }
    return out;
  }
}
