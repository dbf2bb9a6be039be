package dev.addernet.cli;

import dev.addernet.data.DataException;
import dev.addernet.NonFiniteOutput;
import dev.addernet.dist.RankFailure;
import dev.addernet.io.HeapLimit;
import dev.addernet.kernel.ConvKernels;
import dev.addernet.train.TrainingDiverged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code addernet} command line. Bad input ends in one clear error line and a non-zero exit. */
@Command(name = "addernet", mixinStandardHelpOptions = true, version = "addernet 0.1.0",
        description = "Train, evaluate and run Adder Neural Networks (and their CNN twins) on the JVM.",
        subcommands = {TrainCommand.class, DistillCommand.class, EvalCommand.class, BenchCommand.class, SummaryCommand.class, CountCommand.class,
                ImportCommand.class, InferCommand.class, PredictCommand.class, ExportCommand.class, ToyCommand.class, ReportCommand.class, TuneCommand.class,
                PlotCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    @picocli.CommandLine.Option(names = "--kernels", paramLabel = "fast|reference", description = "Filter layers on the fast tiles"
            + " (default) or on the plain double-precision statement of the papers' maths (kernel/ReferenceConv.java), to check a result;"
            + " -Daddernet.kernels=reference does the same.")
    void kernels(String choice) {
        switch (choice) {
            case "fast" -> ConvKernels.useReference(false);
            case "reference" -> ConvKernels.useReference(true);
            default -> throw new picocli.CommandLine.ParameterException(new CommandLine(this),
                    "--kernels must be fast or reference, got '" + choice + "'");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // Checked before any kernel class loads: without the module the first one fails with a bare
        // NoClassDefFoundError, which says nothing about the missing flag.
        String missing = vectorModuleProblem();
        if (missing != null) {
            System.err.println("error: " + missing);
            return 2;
        }
        CommandLine cli = new CommandLine(new Main());
        TrainCommand.addRecipeTable(cli.getSubcommands().get("train"));
        TrainCommand.addRecipeTable(cli.getSubcommands().get("distill"));
        cli.registerConverter(java.nio.file.Path.class, new OutputPaths.NonEmpty());
        // A mistyped option or value: one line and where to look, not picocli's full usage text.
        cli.setParameterExceptionHandler((e, given) -> {
            System.err.println("error: " + e.getMessage().strip() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isUserError(e)) {
                System.err.println("error: " + message(e));
                return 2;
            }
            if (System.getenv("ADDERNET_DEBUG") == null) {
                System.err.println("error: " + e + " (set ADDERNET_DEBUG=1 for the stack trace)");
                return 1;
            }
            throw e;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Readers name their file when a large allocation fails; this catches whatever else ran out.
            System.err.println("error: out of memory running '" + String.join(" ", args) + "': " + HeapLimit.advice());
            return 1;
        } finally {
            // --kernels holds for this command line only: tests run many in one JVM.
            ConvKernels.useReference("reference".equals(System.getProperty(ConvKernels.PROPERTY)));
        }
    }

    /** Why the kernels cannot run in this JVM, or null when the Vector API module is there. */
    static String vectorModuleProblem() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return null;
        return "the Vector API module is not enabled: run java with --add-modules jdk.incubator.vector"
                + " (e.g. java --add-modules jdk.incubator.vector -jar addernet.jar ...), or use bin/addernet, which adds it";
    }

    /**
     * The line for a user error. The JDK's file-system exceptions carry only the path as their message
     * ("error: /x/model.safetensors"), so say what happened to the file.
     */
    static String message(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) return message(u.getCause());
        if (e instanceof FileSystemException f) {
            String what = f.getReason() != null ? f.getReason()
                    : f instanceof NoSuchFileException ? "no such file"
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof FileAlreadyExistsException ? "already exists" : f.getClass().getSimpleName();
            return f.getFile() + ": " + what + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        }
        if (e instanceof RankFailure) return e.getMessage() + "; this epoch wrote nothing: continue the run from its last checkpoint with --resume";
        return e.getMessage();
    }

    /** Errors whose message is written for the user: they need no stack trace. */
    static boolean isUserError(Throwable e) {
        return e instanceof DataException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof TrainingDiverged || e instanceof NonFiniteOutput
                || e instanceof RankFailure;
    }
}
