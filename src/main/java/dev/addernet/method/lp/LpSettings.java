package dev.addernet.method.lp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;
import dev.addernet.method.plain.PlainMethod;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.kernel.Op;

/**
 * The Lp-AdderNet's settings (see {@link LpSchedule}): p from {@code start} to {@code end} over the first
 * {@code epochs} epochs (null: all of the run's), and whether Eq. 27's input gradient is clipped.
 */
public record LpSettings(double start, double end, Double epochs, boolean clip) implements MethodSettings {
    public LpSettings {
        new LpSchedule(start, end, epochs == null ? 0 : epochs, clip); // checks the ranges
    }

    /** The schedule for a run of {@code runEpochs} epochs. */
    public LpSchedule schedule(int runEpochs) {
        return new LpSchedule(start, end, epochs == null ? runEpochs : epochs, clip);
    }

    @Override
    public TrainingMethod create(MethodContext context) {
        if (context.network().opValue() != Op.ADDER) {
            throw new IllegalArgumentException("the Lp scheme (--lp-start, --lp-end, --lp-epochs, --lp-grad) applies to adder layers only, not --op "
                    + context.network().op());
        }
        PlainSettings.requireLinearHead(context, "the Lp scheme");
        return new LpMethod(schedule(context.epochs()), context.adderOptions(), new PlainMethod());
    }

    /** The method node of a configuration that still holds the Lp fields of before (see {@link MethodSettings#fromLegacyConfig}). */
    public static JsonNode fromLegacyConfig(ObjectNode config) {
        JsonNode start = config.remove("lpStart"), end = config.remove("lpEnd"), epochs = config.remove("lpEpochs"),
                clip = config.remove("lpClip");
        ObjectNode method = config.objectNode();
        if (absent(start) && absent(end) && absent(epochs)) return method.put("name", "plain");
        method.put("name", "lp").put("start", absent(start) ? 2 : start.asDouble()).put("end", absent(end) ? 1 : end.asDouble());
        if (!absent(epochs)) method.put("epochs", epochs.asDouble());
        return method.put("clip", absent(clip) || clip.asBoolean());
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull();
    }
}
