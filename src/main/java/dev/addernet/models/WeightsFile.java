package dev.addernet.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.FormatException;
import dev.addernet.io.Json;
import dev.addernet.io.SafeTensors;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A network's weights and BatchNorm statistics in safetensors, with metadata that rebuilds it:
 * {@code config} (the {@link ModelConfig} as JSON), {@code dataset}, {@code class_names} (JSON list),
 * {@code mean}/{@code std} (the input normalisation). Names are the module's dotted state names.
 */
public final class WeightsFile {
    public static final String FORMAT = "addernet-weights-1";

    /** A loaded weights file: the rebuilt network (in eval mode) and what the metadata says about its inputs. */
    public record Loaded(ModelConfig config, Module model, String dataset, List<String> classNames, float[] mean, float[] std) {}

    private WeightsFile() {}

    public static void save(Path file, Module model, ModelConfig cfg, String dataset, List<String> classNames,
                            float[] mean, float[] std) throws IOException {
        SafeTensors.Writer w = SafeTensors.writer();
        model.state().forEach((name, t) -> w.put(name, t.shape(), t.data));
        w.metadata("format", FORMAT)
                .metadata("config", Json.toConfigJson(cfg))
                .metadata("dataset", dataset)
                .metadata("class_names", Json.toJson(classNames))
                .metadata("mean", Json.toJson(mean))
                .metadata("std", Json.toJson(std))
                .write(file);
    }

    public static Loaded load(Path file) throws IOException {
        SafeTensors st = SafeTensors.read(file);
        Map<String, String> meta = st.metadata();
        String cfgJson = meta.get("config");
        if (cfgJson == null) {
            throw new FormatException(file, "metadata has no 'config': not an addernet weights file (import PyTorch checkpoints with 'addernet import')");
        }
        ModelConfig cfg = config(file, meta, "config");
        List<String> names = meta.containsKey("class_names") ? Arrays.asList(metadata(file, meta, "class_names", String[].class)) : List.of();
        float[] mean = meta.containsKey("mean") ? metadata(file, meta, "mean", float[].class) : null;
        float[] std = meta.containsKey("std") ? metadata(file, meta, "std", float[].class) : null;
        Module model = Models.build(cfg, 0);
        loadState(file, st, "", model);
        checkUsable(file, model);
        model.train(false);
        return new Loaded(cfg, model, meta.getOrDefault("dataset", ""), names, mean, std);
    }

    /** The {@link ModelConfig} in metadata {@code key}, checked (see {@link ModelConfig#check}) before anything is built from it. */
    public static ModelConfig config(Path file, Map<String, String> meta, String key) throws FormatException {
        ModelConfig cfg;
        try {
            // snake_case keys, as config.json's; files written before that name them in camelCase, read alike
            cfg = Json.configValue(tree(file, meta, key), ModelConfig.class);
        } catch (JsonProcessingException e) {
            throw unreadable(file, key, ModelConfig.class, e);
        }
        try {
            cfg.check();
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "metadata '" + key + "': " + e.getMessage());
        }
        return cfg;
    }

    /** Metadata {@code key}, a JSON text, read as a {@code type}; a {@link FormatException} names the file and the key. */
    public static <T> T metadata(Path file, Map<String, String> meta, String key, Class<T> type) throws FormatException {
        try {
            return Json.mapper().treeToValue(tree(file, meta, key), type);
        } catch (JsonProcessingException e) {
            throw unreadable(file, key, type, e);
        }
    }

    private static JsonNode tree(Path file, Map<String, String> meta, String key) throws FormatException {
        try {
            return Json.mapper().readTree(meta.get(key));
        } catch (JsonProcessingException e) {
            throw new FormatException(file, "metadata '" + key + "': not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static FormatException unreadable(Path file, String key, Class<?> type, JsonProcessingException e) {
        return new FormatException(file, "metadata '" + key + "': cannot be read as " + type.getSimpleName() + " (" + e.getOriginalMessage() + ")");
    }

    /**
     * Refuses a network whose outputs could not be trusted: a NaN or infinite weight or statistic makes every
     * logit it reaches NaN or infinite, and a negative running variance makes BatchNorm take a square root
     * of a negative number. An accuracy computed from such outputs is meaningless (every comparison with NaN
     * is false), so this is checked when the file is loaded, naming the first bad tensor.
     */
    public static void checkUsable(Path file, Module model) throws FormatException {
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            float[] v = e.getValue().data;
            boolean variance = e.getKey().endsWith("running_var");
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new FormatException(file, "tensor '" + e.getKey() + "' holds " + v[i] + " at index " + i
                            + ", expected finite values: a network with non-finite weights has no accuracy");
                }
                if (variance && v[i] < 0) {
                    throw new FormatException(file, "tensor '" + e.getKey() + "' holds a negative running variance (" + v[i]
                            + ") at index " + i + ", expected values >= 0");
                }
            }
        }
    }

    /**
     * Copies tensors named {@code prefix + stateName} from the file into the module's state; every state
     * entry must be present with the same shape, and (for an empty prefix) no tensor may be left over.
     */
    public static void loadState(Path file, SafeTensors st, String prefix, Module model) throws FormatException {
        Map<String, Tensor> state = model.state();
        loadState(file, st, prefix, state);
        if (prefix.isEmpty()) {
            for (String name : st.names()) {
                if (!state.containsKey(name)) throw new FormatException(file, "unexpected tensor '" + name + "' for this model");
            }
        }
    }

    /** Copies tensors named {@code prefix + name} into each tensor of {@code state}; each must be present with its shape. */
    public static void loadState(Path file, SafeTensors st, String prefix, Map<String, Tensor> state) throws FormatException {
        for (var e : state.entrySet()) {
            String key = prefix + e.getKey();
            if (!st.has(key)) throw new FormatException(file, "tensor '" + key + "' is missing: the file does not hold this model");
            int[] expected = e.getValue().shape(), actual = st.shape(key);
            if (!Arrays.equals(expected, actual)) {
                throw new FormatException(file, "tensor '" + key + "' has shape " + Arrays.toString(actual)
                        + ", the model expects " + Arrays.toString(expected));
            }
            float[] src = st.floats(key);
            System.arraycopy(src, 0, e.getValue().data, 0, src.length);
        }
    }
}
