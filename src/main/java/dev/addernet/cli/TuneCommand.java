package dev.addernet.cli;

import dev.addernet.bench.Tuner;
import dev.addernet.kernel.Tuning;
import dev.addernet.models.Models;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code addernet tune}: this machine's block widths per layer shape, kept in a small file every later command reads. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Time each filter layer of a model at several block widths and keep the fastest for this machine"
                + " (in $XDG_CACHE_HOME/addernet/tuning.json, else ~/.cache/addernet/tuning.json; -Daddernet.tuning=FILE|off).")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--model", split = ",", defaultValue = "resnet20", completionCandidates = ModelOptions.ModelNames.class,
            description = "Models whose layers to tune (AdderNet and CNN), comma-separated: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})."
                    + " Each on its standard input: 224 x 224 for resnet18 and resnet50, 28 x 28 for lenetpp, else 32 x 32.")
    List<String> models;
    @Option(names = "--batch", defaultValue = "32", converter = Ranges.Positive.class,
            description = "Batch of the timed layer calls: at least 1 (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--threads", converter = Ranges.Threads.class,
            description = "Threads, from 1 to 4096 (default: all cores).") Integer threads;
    @Option(names = "--seconds", defaultValue = "0.1", converter = Ranges.PositiveSeconds.class,
            description = "Time budget of one trial: above 0 and at most 3600 (default ${DEFAULT-VALUE}); each width is tried in 5 rounds.")
    double seconds;
    @Option(names = "--out", description = "Write the tuning here instead of the file every command reads.") Path out;

    @Override
    public Integer call() throws Exception {
        for (String m : models) {
            if (!Models.NAMES.contains(m)) throw new IllegalArgumentException("--model: unknown model '" + m + "', expected one of " + Models.NAMES);
        }
        Path file = out != null ? out : Tuning.file();
        if (file == null) throw new IllegalArgumentException("-D" + Tuning.PROPERTY + "=off: there is no tuning file to write (give --out FILE)");
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Tuner.run(models, batch, t, seconds, file, System.out);
        return 0;
    }
}
