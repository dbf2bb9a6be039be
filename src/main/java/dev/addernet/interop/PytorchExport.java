package dev.addernet.interop;

import dev.addernet.io.Json;
import dev.addernet.io.SafeTensors;
import dev.addernet.models.Heads;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a network's state as a plain state dict in safetensors, for PyTorch
 * ({@code model.load_state_dict(safetensors.torch.load_file(f))}). With reference names, adder filters are
 * called {@code .adder} and every BatchNorm gets an I64 scalar {@code num_batches_tracked} of 0, because
 * {@code load_state_dict(strict=True)} refuses a state dict without it (it only matters for BatchNorm
 * with {@code momentum=None}, which the reference does not use).
 *
 * <p>The metadata keeps the model configuration under {@code addernet_config} (not {@code config}, so the
 * file is not mistaken for one of our weights files), which lets {@code import} read the file back
 * without {@code --model}.
 */
public final class PytorchExport {
    /** The {@code format} metadata of an exported state dict. */
    public static final String FORMAT = "pytorch-state-dict";
    /** The metadata key holding the {@link dev.addernet.models.ModelConfig} as JSON. */
    public static final String CONFIG = "addernet_config";

    private PytorchExport() {}

    /** Writes {@code w}'s tensors to {@code out} atomically; returns how many tensors were written. */
    public static int write(Path out, WeightsFile.Loaded w, boolean referenceNames) throws IOException {
        if (referenceNames && !w.config().head().equals(Heads.LINEAR)) {
            throw new IllegalArgumentException("--pytorch-names: the reference has no '" + w.config().head() + "' head (it ends in its own"
                    + " linear layer); export without --pytorch-names keeps addernet's names");
        }
        SafeTensors.Writer writer = SafeTensors.writer();
        Map<String, Parameter> params = w.model().parameters();
        int count = 0;
        for (Map.Entry<String, Tensor> e : w.model().state().entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            Parameter p = params.get(name);
            writer.put(referenceNames ? ReferenceNames.toReference(name, p != null && p.isAdder()) : name, t.shape(), t.data);
            count++;
            String tracked = ReferenceNames.batchesTrackedBeside(name);
            if (referenceNames && tracked != null) {
                writer.putLong(tracked, new int[0], new long[] {0});
                count++;
            }
        }
        writer.metadata("format", FORMAT)
                .metadata("names", referenceNames ? "reference" : "addernet")
                .metadata(CONFIG, Json.toConfigJson(w.config()))
                .metadata("dataset", w.dataset())
                .metadata("class_names", Json.toJson(w.classNames()));
        if (w.mean() != null) writer.metadata("mean", Json.toJson(w.mean()));
        if (w.std() != null) writer.metadata("std", Json.toJson(w.std()));
        writer.write(out);
        return count;
    }
}
