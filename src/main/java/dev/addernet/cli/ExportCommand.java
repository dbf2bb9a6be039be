package dev.addernet.cli;

import dev.addernet.interop.PytorchExport;
import dev.addernet.models.WeightsFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code addernet export}: a weights file as a plain PyTorch state dict in safetensors. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a weights file's tensors as a PyTorch state dict in safetensors "
                + "(load with model.load_state_dict(safetensors.torch.load_file(FILE))).",
                "With --pytorch-names the names are the reference AdderNet's: adder filters '.adder', "
                        + "and every BatchNorm gets num_batches_tracked (I64, 0) as strict loading requires."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, description = "A weights file (from train or import).")
    Path weights;
    @Option(names = "--pytorch-names", description = "Use the reference implementation's names (otherwise ours: adder filters '.weight').")
    boolean pytorchNames;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .safetensors file to write (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        OutputPaths.requireNotAnInput("--out", out, "--weights", weights);
        WeightsFile.Loaded w = WeightsFile.load(weights);
        int n = PytorchExport.write(out, w, pytorchNames);
        System.out.printf("wrote %d tensors of %s %s under %s names to %s%n", n, w.config().model(), w.config().op(),
                pytorchNames ? "the reference's" : "our", out);
        return 0;
    }
}
