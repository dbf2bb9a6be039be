package dev.addernet.cli;

import dev.addernet.analysis.RunRecord;
import dev.addernet.analysis.RunReport;
import dev.addernet.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code addernet report}: training runs compared, grouped, as mean and standard deviation over seeds. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare training run folders: per group, runs, seeds, final and best test accuracy (mean ± sample std), "
                + "epochs and seconds per epoch.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders written by train.")
    List<Path> runs;
    @Option(names = "--group-by", split = ",", defaultValue = "model,op,method",
            description = "Fields to group by, from model, op, method, dataset (default ${DEFAULT-VALUE}).")
    List<String> groupBy;
    @Option(names = "--paper", description = "Add the papers' accuracy for the row where one exists.") boolean paper;

    @ArgGroup(exclusive = true) Format format = new Format();

    static final class Format {
        @Option(names = "--markdown", description = "A markdown table.") boolean markdown;
        @Option(names = "--json", description = "One JSON object.") boolean json;
    }

    @Override
    public Integer call() throws Exception {
        List<String> by = RunReport.parseGroupBy(groupBy);
        List<RunRecord> records = new ArrayList<>();
        for (Path dir : runs) records.add(RunRecord.read(dir));
        List<RunReport.Group> groups = RunReport.group(records, by, paper);
        if (format.json) {
            System.out.println(Json.toJson(RunReport.json(groups, by, paper)));
        } else {
            List<List<String>> cells = RunReport.cells(groups, by, paper);
            System.out.print(format.markdown ? RunReport.markdown(cells) : RunReport.text(cells));
            System.out.println("mean ± sample standard deviation (n - 1) over the group's runs; epochs done; s/epoch the mean epoch time");
            System.out.print(RunReport.notes(groups));
        }
        return 0;
    }
}
