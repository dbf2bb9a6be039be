package dev.addernet.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress within a training epoch, on standard error. On a console, a bar redrawn twice a second; when
 * standard error is a file or a pipe, a plain line at most once a minute, since a redrawn bar there is
 * an ever-growing stream of carriage returns (megabytes over a long run) that nobody watches.
 */
abstract sealed class EpochProgress implements AutoCloseable {

    /** Set by {@code bin/addernet} from whether standard error is a terminal; else the JDK's console is asked. */
    static final String CONSOLE_PROPERTY = "addernet.console";
    static final long LINE_INTERVAL_NANOS = 60_000_000_000L;

    /** Counts {@code images} more images done, {@code loss} the epoch's running mean loss. */
    abstract void step(int images, double loss);

    @Override
    public abstract void close();

    static EpochProgress start(String task, long images) {
        return onConsole() ? new Bar(task, images) : new Lines(task, images, System.err, LINE_INTERVAL_NANOS);
    }

    static boolean onConsole() {
        String set = System.getProperty(CONSOLE_PROPERTY);
        if (set != null) return Boolean.parseBoolean(set);
        var console = System.console();
        return console != null && console.isTerminal();
    }

    static final class Bar extends EpochProgress {
        private final ProgressBar bar;

        Bar(String task, long images) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(images).setUnit(" img", 1).showSpeed()
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
        }

        @Override
        void step(int images, double loss) {
            bar.stepBy(images);
            bar.setExtraMessage(String.format(" loss %.4f", loss));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    static final class Lines extends EpochProgress {
        private final String task;
        private final long total;
        private final PrintStream err;
        private final long interval, start;
        private long done, last;

        Lines(String task, long total, PrintStream err, long intervalNanos) {
            this.task = task;
            this.total = total;
            this.err = err;
            this.interval = intervalNanos;
            this.start = this.last = System.nanoTime();
        }

        @Override
        void step(int images, double loss) {
            done += images;
            long now = System.nanoTime();
            if (now - last < interval || done >= total) return; // the epoch's own line reports its end
            last = now;
            double seconds = (now - start) / 1e9;
            err.printf("%s  %,d/%,d img  loss %.4f  %.0f img/s%n", task, done, total, loss, done / seconds);
        }

        @Override
        public void close() {
            err.flush();
        }
    }
}
