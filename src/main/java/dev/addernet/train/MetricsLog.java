package dev.addernet.train;

import dev.addernet.io.AtomicFiles;
import dev.addernet.io.FormatException;
import dev.addernet.io.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@code metrics.jsonl} holding exactly the finished epochs, one JSON object a line: rewritten whole
 * (atomically) after each epoch, and at the start of a resumed run, which drops lines of an epoch that a
 * crash lost after writing them.
 */
public final class MetricsLog implements TrainingListener {
    @Override
    public void started(RunFolder run, List<EpochMetrics> history) throws IOException {
        write(run, history);
    }

    @Override
    public void epochEnded(EpochEnd end) throws IOException {
        write(end.run(), end.history());
    }

    private static void write(RunFolder run, List<EpochMetrics> history) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (EpochMetrics m : history) sb.append(Json.toJson(m.toJson())).append('\n');
        AtomicFiles.writeString(run.metrics(), sb.toString());
    }

    /** The first {@code epochs} epochs of a run folder's log (fewer if it holds fewer). */
    public static List<EpochMetrics> read(RunFolder run, int epochs) throws IOException {
        List<EpochMetrics> list = new ArrayList<>();
        if (!Files.exists(run.metrics())) return list;
        List<String> lines;
        try {
            lines = Files.readAllLines(run.metrics());
        } catch (CharacterCodingException e) {
            throw new FormatException(run.metrics(), "not UTF-8 text, expected one JSON object a line");
        }
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank()) continue;
            EpochMetrics m;
            try {
                m = EpochMetrics.fromJson(Json.mapper().readTree(line));
            } catch (IOException | IllegalArgumentException e) {
                throw new FormatException(run.metrics(), "line " + lineNo + " is not an epoch's metrics (a JSON object with epoch,"
                        + " train_loss, train_acc, test_acc, test_loss, lr, seconds, images_per_sec)");
            }
            if (m.epoch() <= epochs) list.add(m);
        }
        return list;
    }
}
