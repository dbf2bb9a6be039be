package dev.addernet.method.plain;

import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;
import dev.addernet.models.Heads;

/**
 * Plain training has no settings of its own. It trains the model's own (linear) head only: every other head
 * has a training method of its own, which {@code --head} selects.
 */
public record PlainSettings() implements MethodSettings {
    @Override
    public TrainingMethod create(MethodContext context) {
        requireLinearHead(context, "plain training");
        return new PlainMethod();
    }

    /** Refuses a network whose head another method trains. */
    public static void requireLinearHead(MethodContext context, String what) {
        String head = context.network().head();
        if (!head.equals(Heads.LINEAR)) {
            throw new IllegalArgumentException(what + " trains the linear head only; the '" + head + "' head is trained by its own method (--head " + head + " alone selects it)");
        }
    }
}
