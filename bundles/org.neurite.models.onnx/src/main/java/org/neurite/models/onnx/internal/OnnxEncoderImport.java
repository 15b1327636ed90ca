package org.neurite.models.onnx.internal;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * Turns an ONNX BERT encoder (such as the all-MiniLM-L6-v2 that {@code langchain4j-embeddings-*}
 * jars carry) into a Hugging Face model folder that Neurite's BERT loader reads like a downloaded
 * one: {@code config.json} (BertConfig, sizes read from the tensors and the head count from the
 * graph), {@code model.safetensors} (F32, BertModel names without a {@code bert.} prefix, linear
 * weights [out, in]) and {@code tokenizer.json} (copied byte for byte).
 *
 * <p>The folder is written atomically; a complete folder already at the target is left as it is,
 * so importing on every start costs one look at three files.
 */
public final class OnnxEncoderImport {
  private static final Logger LOG = System.getLogger(OnnxEncoderImport.class.getName());
  private static final String TOKENIZER_SUFFIX = "-tokenizer.json";

  private OnnxEncoderImport() {}

  /**
   * Imports the encoder of a jar that holds exactly one {@code *.onnx} entry and one
   * {@code *-tokenizer.json} entry, as the langchain4j embedding jars do.
   *
   * @param jar the jar (any zip file)
   * @param targetFolder the model folder to create
   * @return the target folder
   * @throws NeuriteException if the jar cannot be read, lacks either entry or holds several, or its
   *     model is not an importable BERT encoder
   */
  public static Path fromJar(Path jar, Path targetFolder) {
    if (ImportedFolder.checkTarget(targetFolder)) {
      return targetFolder;
    }
    String jarName = jar.getFileName().toString();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<? extends ZipEntry> files = zip.stream().filter(e -> !e.isDirectory()).toList();
      ZipEntry onnx = single(jar, files.stream().filter(e -> e.getName().endsWith(".onnx")).toList(), "*.onnx");
      ZipEntry tokenizer = single(jar, files.stream().filter(e -> e.getName().endsWith(TOKENIZER_SUFFIX)).toList(),
          "*" + TOKENIZER_SUFFIX);
      ByteBuffer onnxBytes = ByteBuffer.wrap(read(zip, onnx, jar)).order(ByteOrder.LITTLE_ENDIAN);
      byte[] tokenizerBytes = read(zip, tokenizer, jar);
      write(onnxBytes, jarName + "!/" + onnx.getName(), tokenizerBytes, jarName + "!/" + tokenizer.getName(), jarName,
          targetFolder);
      return targetFolder;
    } catch (NoSuchFileException e) {
      throw new NeuriteException("The jar " + jar + " does not exist. Check the path, or let Maven fetch the"
          + " artifact that holds the model.", e);
    } catch (ZipException e) {
      throw new NeuriteException("The file " + jar + " is not a jar or zip file (" + e.getMessage() + "). Import a"
          + " jar that holds a *.onnx model and its *" + TOKENIZER_SUFFIX + ", or use the .onnx file itself.", e);
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the jar " + jar + ": " + e + ". Check that it is readable.", e);
    }
  }

  /**
   * Imports an ONNX file and its tokenizer.
   *
   * @param onnx the {@code .onnx} file (a single file, no external data)
   * @param tokenizerJson the Hugging Face {@code tokenizer.json} that goes with it
   * @param sourceName what {@code neurite_import.source} in config.json names, e.g. the file or
   *     artifact the model came from; null for the ONNX file's name
   * @param targetFolder the model folder to create
   * @return the target folder
   * @throws NeuriteException if a file cannot be read or the model is not an importable BERT encoder
   */
  public static Path fromFiles(Path onnx, Path tokenizerJson, String sourceName, Path targetFolder) {
    if (ImportedFolder.checkTarget(targetFolder)) {
      return targetFolder;
    }
    byte[] tokenizerBytes;
    try {
      tokenizerBytes = Files.readAllBytes(tokenizerJson);
    } catch (NoSuchFileException e) {
      throw new NeuriteException("The tokenizer file " + tokenizerJson + " does not exist. Give the tokenizer.json"
          + " that was exported with the model.", e);
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the tokenizer file " + tokenizerJson + ": " + e, e);
    }
    String source = sourceName != null ? sourceName : onnx.getFileName().toString();
    try (FileChannel channel = FileChannel.open(onnx, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new NeuriteException("The ONNX file " + onnx + " has " + size + " bytes; a single-file ONNX model"
            + " holds at most 2 GiB (larger ones keep their weights as external data, which Neurite does not read).");
      }
      ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      write(bytes, onnx.toString(), tokenizerBytes, tokenizerJson.toString(), source, targetFolder);
      return targetFolder;
    } catch (NoSuchFileException e) {
      throw new NeuriteException("The ONNX file " + onnx + " does not exist. Check the path.", e);
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the ONNX file " + onnx + ": " + e, e);
    }
  }

  /** Whether a folder holds a complete imported model (config.json, model.safetensors, tokenizer.json). */
  public static boolean isComplete(Path folder) {
    return ImportedFolder.isComplete(folder);
  }

  private static void write(ByteBuffer onnxBytes, String onnxWhere, byte[] tokenizer, String tokenizerWhere,
      String source, Path target) {
    checkTokenizer(tokenizer, tokenizerWhere);
    OnnxModel model = OnnxParser.parse(onnxBytes, onnxWhere);
    BertWeights weights = BertWeights.of(model);
    String config = BertConfigJson.of(weights.dimensions(), source, sha256(onnxBytes));
    ImportedFolder.write(target, folder -> {
      SafetensorsWriter safetensors = new SafetensorsWriter().metadata("format", "pt");
      for (MappedTensor t : weights.tensors()) {
        safetensors.add(t.name(), TensorDtype.F32, t.shape(), t.bytes());
      }
      safetensors.write(folder.resolve("model.safetensors"));
      Files.write(folder.resolve("tokenizer.json"), tokenizer);
      Files.writeString(folder.resolve("config.json"), config, StandardCharsets.UTF_8);
    });
    LOG.log(Level.INFO, "Imported {0} ({1} tensors, {2}) into {3}", onnxWhere, weights.tensors().size(),
        weights.dimensions(), target);
    if (!weights.ignored().isEmpty()) {
      LOG.log(Level.DEBUG, "Left out of {0}: {1}", onnxWhere, weights.ignored());
    }
  }

  private static ZipEntry single(Path jar, List<? extends ZipEntry> entries, String pattern) {
    if (entries.size() != 1) {
      throw new NeuriteException("The jar " + jar + " holds " + (entries.isEmpty() ? "no" : entries.size()) + " "
          + pattern + " entries" + (entries.isEmpty() ? "" : " " + entries.stream().map(ZipEntry::getName).toList())
          + "; Neurite imports a jar with exactly one model and one tokenizer. Use the langchain4j-embeddings jar of"
          + " a single model, or import the .onnx and tokenizer files themselves.");
    }
    return entries.get(0);
  }

  private static byte[] read(ZipFile zip, ZipEntry entry, Path jar) throws IOException {
    if (entry.getSize() > Integer.MAX_VALUE - 8) {
      throw new NeuriteException("The entry " + entry.getName() + " of " + jar + " has " + entry.getSize()
          + " bytes; Neurite reads ONNX models of up to 2 GiB from a jar. Extract it and import the file instead.");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  private static void checkTokenizer(byte[] tokenizer, String where) {
    try {
      if (!JsonParser.parseString(new String(tokenizer, StandardCharsets.UTF_8)).isJsonObject()) {
        throw new NeuriteException("The tokenizer " + where + " is not a JSON object. Give the Hugging Face"
            + " tokenizer.json that was exported with the model.");
      }
    } catch (JsonParseException e) {
      throw new NeuriteException("The tokenizer " + where + " is not valid JSON (" + e.getMessage() + "). Give the"
          + " Hugging Face tokenizer.json that was exported with the model.", e);
    }
  }

  private static String sha256(ByteBuffer bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes.duplicate());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
