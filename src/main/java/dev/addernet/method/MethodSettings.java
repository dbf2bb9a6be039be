package dev.addernet.method;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.pkkd.PkkdSettings;
import dev.addernet.method.margin.GaussianMarginSettings;
import dev.addernet.method.margin.LSoftmaxSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.method.slac.SlacSettings;

/**
 * A training method's settings: what {@code config.json} records under {@code "method"} (its {@code "name"}
 * beside its own fields) and what builds the method again on {@code --resume}. Each method's settings
 * are a record in its package that checks itself on construction; registering a method is one line in
 * the list below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "name")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PlainSettings.class, name = "plain"),
        @JsonSubTypes.Type(value = LpSettings.class, name = "lp"),
        @JsonSubTypes.Type(value = PkkdSettings.class, name = "pkkd"),
        @JsonSubTypes.Type(value = SlacSettings.class, name = "slac"),
        @JsonSubTypes.Type(value = LSoftmaxSettings.class, name = "lsoftmax"),
        @JsonSubTypes.Type(value = GaussianMarginSettings.class, name = "lgm")})
public interface MethodSettings {
    /** Builds the method for one run; refuses a network it cannot train with a one-line reason. */
    TrainingMethod create(MethodContext context);

    /**
     * The {@code "method"} node for a {@code config} object written before methods had one: the Lp scheme
     * was then four fields of the configuration itself, which are moved into it.
     */
    static JsonNode fromLegacyConfig(ObjectNode config) {
        return LpSettings.fromLegacyConfig(config);
    }
}
