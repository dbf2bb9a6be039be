package dev.addernet.method.plain;

import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;

/** Plain training has no settings of its own. */
public record PlainSettings() implements MethodSettings {
    @Override
    public TrainingMethod create(MethodContext context) {
        return new PlainMethod();
    }
}
