package dev.addernet.interop;

import dev.addernet.io.FormatException;
import dev.addernet.models.ModelConfig;
import dev.addernet.nn.Module;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a reference state dict into one of our networks. Every tensor must find its place: names are
 * mapped by {@link ReferenceNames}, {@code num_batches_tracked} is dropped, and a key the network lacks,
 * a tensor the file lacks, a shape that differs, or adder filters landing on a convolution (or the
 * reverse) is an error naming the key. Nothing is copied unless everything fits.
 */
public final class PytorchImport {

    /** CIFAR-10's classes in label order, for the metadata of imported CIFAR models. */
    public static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private PytorchImport() {}

    /**
     * Copies {@code dict} (read from {@code file}) into {@code model}, built from {@code cfg}, and returns
     * how many tensors were copied.
     */
    public static int into(Path file, StateDict dict, Module model, ModelConfig cfg) throws FormatException {
        String what = describe(cfg);
        // Our own names (export without --pytorch-names) call adder filters '.weight' like convolutions.
        boolean referenceNames = !"addernet".equals(dict.metadata().get("names"));
        Map<String, Tensor> state = model.state();
        Map<String, Parameter> params = model.parameters();
        Map<String, String> fileKeyOf = new LinkedHashMap<>();
        for (var e : dict.tensors().entrySet()) {
            String key = e.getKey(), ours = ReferenceNames.toOurs(key);
            if (ours == null) continue;
            String as = ours.equals(key) ? "" : " (our name '" + ours + "')";
            if (fileKeyOf.containsKey(ours)) {
                throw new FormatException(file, "keys '" + fileKeyOf.get(ours) + "' and '" + key + "' both map to '" + ours + "'");
            }
            Tensor target = state.get(ours);
            if (target == null) throw new FormatException(file, "unexpected key '" + key + "'" + as + ": " + what + " has no such tensor");
            Parameter p = params.get(ours);
            boolean adderHere = p != null && p.isAdder();
            String layer = ours.contains(".") ? ours.substring(0, ours.lastIndexOf('.')) : ours;
            if (referenceNames && ReferenceNames.isAdder(key) && !adderHere) {
                throw new FormatException(file, "key '" + key + "' holds adder filters, but '" + layer + "' of " + what
                        + " is not an adder layer (check --op and --first-last)");
            }
            if (referenceNames && !ReferenceNames.isAdder(key) && adderHere) {
                throw new FormatException(file, "key '" + key + "' holds convolution filters (the reference names adder filters '"
                        + layer + ".adder'), but '" + layer + "' of " + what + " is an adder layer (check --op and --first-last)");
            }
            int[] shape = e.getValue().shape();
            if (!Arrays.equals(shape, target.shape())) {
                throw new FormatException(file, "key '" + key + "'" + as + " has shape " + Arrays.toString(shape) + ", " + what
                        + " expects " + Arrays.toString(target.shape()));
            }
            fileKeyOf.put(ours, key);
        }
        List<String> missing = new ArrayList<>();
        for (String name : state.keySet()) {
            if (!fileKeyOf.containsKey(name)) {
                Parameter p = params.get(name);
                missing.add("'" + ReferenceNames.toReference(name, referenceNames && p != null && p.isAdder()) + "'");
            }
        }
        if (!missing.isEmpty()) {
            String list = missing.size() <= 5 ? String.join(", ", missing)
                    : String.join(", ", missing.subList(0, 5)) + " and " + (missing.size() - 5) + " more";
            throw new FormatException(file, "missing key" + (missing.size() > 1 ? "s " : " ") + list + ": " + what + " needs "
                    + (missing.size() > 1 ? "them" : "it"));
        }
        fileKeyOf.forEach((ours, key) -> {
            float[] values = dict.tensors().get(key).values();
            System.arraycopy(values, 0, state.get(ours).data, 0, values.length);
        });
        return fileKeyOf.size();
    }

    /** A configuration for messages, e.g. {@code resnet20 (op adder, first/last full)}. */
    public static String describe(ModelConfig cfg) {
        return cfg.model() + " (op " + cfg.op() + ", first/last " + (cfg.firstLast() ? cfg.op() : "full") + ")";
    }
}
