package dev.addernet.data;

/**
 * A dataset as shipped: its training and test sets and the normalisation conventionally used with it.
 */
public record DatasetSplits(ImageSet train, ImageSet test, Normalization norm) {}
