package dev.addernet.cli;

import picocli.CommandLine.Command;

/** {@code addernet plot}: the papers' figures from trained runs; each writes a PNG and the numbers behind it as JSON. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw figures from run folders or weights files: curves, features, filters, histograms. "
                + "Each writes a PNG and a JSON file of the numbers beside it.",
        subcommands = {PlotCurvesCommand.class, PlotFeaturesCommand.class, PlotFiltersCommand.class, PlotHistogramsCommand.class})
final class PlotCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalArgumentException("plot needs a figure: curves, features, filters or histograms (see 'addernet plot --help')");
    }
}
