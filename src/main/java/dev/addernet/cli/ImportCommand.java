package dev.addernet.cli;

import dev.addernet.data.Normalization;
import dev.addernet.interop.PytorchExport;
import dev.addernet.interop.PytorchImport;
import dev.addernet.interop.StateDict;
import dev.addernet.io.FormatException;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code addernet import}: a PyTorch state dict with the reference AdderNet's names becomes a weights file. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a PyTorch state dict of the reference AdderNet (huawei-noah/AdderNet) into a weights file for eval, infer and predict.",
                "Reads torch.save files (.pth/.pt, legacy and zip format; only tensors, nothing is executed) and safetensors state dicts.",
                "The network is a CIFAR-10 one (3x32x32 input, 10 classes); the weights file gets CIFAR-10's class names and normalisation."})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--pytorch", required = true, paramLabel = "FILE", description = "The state dict (.pth, .pt or .safetensors).")
    Path source;
    @Option(names = "--model", description = "Architecture, e.g. resnet20 or resnet32 (default: the file's metadata, for files written by export).")
    String model;
    @Option(names = "--op", description = "Filter op of the checkpoint: adder or conv (default adder).")
    String op;
    @Option(names = "--first-last", description = FirstLastOption.DESCRIPTION)
    String firstLast;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The weights file to write (.safetensors).")
    Path out;

    @Override
    public Integer call() throws Exception {
        // Names first: a typo is reported before a large checkpoint is read.
        if (model != null) Models.requireKnown(model);
        if (op != null) Op.parse(op);
        OutputPaths.requireNotAnInput("--out", out, "--pytorch", source);
        StateDict dict = StateDict.read(source);
        if (WeightsFile.FORMAT.equals(dict.metadata().get("format"))) {
            throw new IllegalArgumentException(source + ": already an addernet weights file; use it with eval, infer or predict directly");
        }
        String savedConfig = dict.metadata().get(PytorchExport.CONFIG);
        ModelConfig cfg;
        String dataset;
        List<String> classes;
        float[] mean, std;
        if (model == null && savedConfig != null) {
            cfg = WeightsFile.config(source, dict.metadata(), PytorchExport.CONFIG);
            if ((op != null && !op.equals(cfg.op())) || (firstLast != null && FirstLastOption.parse(firstLast, cfg.op()) != cfg.firstLast())) {
                throw new IllegalArgumentException(source + " holds " + PytorchImport.describe(cfg) + "; give --model too to import it as another configuration");
            }
            dataset = dict.metadata().getOrDefault("dataset", "");
            classes = dict.metadata().containsKey("class_names")
                    ? Arrays.asList(WeightsFile.metadata(source, dict.metadata(), "class_names", String[].class)) : List.of();
            mean = metadataFloats(dict.metadata(), "mean");
            std = metadataFloats(dict.metadata(), "std");
        } else {
            if (model == null) throw new IllegalArgumentException("--model is required: " + source + " does not say which network it holds");
            String opName = op != null ? op : "adder";
            cfg = Models.config(model, opName, 3, 32, 10, FirstLastOption.parse(firstLast, opName));
            dataset = "cifar10";
            classes = PytorchImport.CIFAR10_CLASSES;
            mean = Normalization.CIFAR.mean();
            std = Normalization.CIFAR.std();
        }
        Module net = Models.build(cfg, 0);
        int copied = PytorchImport.into(source, dict, net, cfg);
        WeightsFile.checkUsable(source, net);
        net.train(false);
        WeightsFile.save(out, net, cfg, dataset, classes, mean, std);
        int dropped = dict.tensors().size() - copied;
        System.out.printf("imported %d tensors from %s (%s%s) into %s: %s %s on %s%n", copied, source, dict.format(),
                dropped > 0 ? "; " + dropped + " num_batches_tracked dropped" : "", out, cfg.model(), cfg.op(), dataset);
        return 0;
    }

    private float[] metadataFloats(Map<String, String> meta, String key) throws Exception {
        if (!meta.containsKey(key)) throw new FormatException(source, "metadata has no '" + key + "' (the input normalisation)");
        return WeightsFile.metadata(source, meta, key, float[].class);
    }
}
