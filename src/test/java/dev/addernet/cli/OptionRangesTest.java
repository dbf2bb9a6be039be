package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every numeric option has a range, stated in its --help text and checked before any work starts. */
class OptionRangesTest {
    static final Set<Class<?>> NUMERIC = Set.of(int.class, Integer.class, long.class, Long.class, float.class, Float.class,
            double.class, Double.class);

    @Test
    void everyNumericOptionHasARangeItsHelpStates() {
        CommandLine cli = new CommandLine(new Main());
        int checked = 0;
        for (CommandLine sub : cli.getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (!NUMERIC.contains(o.type())) continue;
                String where = sub.getCommandName() + " " + o.longestName();
                assertThat(o.converters()).as(where + " has a range converter").hasSize(1);
                assertThat(o.converters()[0]).as(where).isInstanceOf(Ranges.Ranged.class);
                String range = ((Ranges.Ranged) o.converters()[0]).text();
                assertThat(String.join(" ", o.description())).as(where + " --help states its range").contains(range);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void valuesOutsideTheRangeAreOneLineBeforeAnyWork() {
        for (List<String> args : List.of(
                List.of("predict", "--weights", "w", "--top", "0", "x.png"),
                List.of("predict", "--weights", "w", "--max-pixels", "-5", "x.png"),
                List.of("eval", "--weights", "w", "--batch", "-1"),
                List.of("eval", "--weights", "w", "--limit-test", "-1"),
                List.of("infer", "--weights", "w", "--input", "i", "--output", "o", "--threads", "0"),
                List.of("bench", "--seconds", "NaN"),
                List.of("bench", "--seconds", "Infinity"),
                List.of("summary", "--model", "lenet5", "--num-classes", "1000000000"),
                List.of("count", "--model", "lenetpp", "--feature-dim", "0"))) {
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.code()).as(args.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(args.toString()).doesNotContain("\n").startsWith("error: Invalid value for option")
                    .contains("expected");
            assertThat(r.out()).isEmpty();
        }
    }
}
