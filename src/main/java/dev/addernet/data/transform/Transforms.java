package dev.addernet.data.transform;

/**
 * The standard per-image pipelines of the datasets, as in the papers' reference code (torchvision
 * transforms before {@code ToTensor} and {@code Normalize}).
 */
public final class Transforms {

    private Transforms() {}

    /** CIFAR training: {@code RandomCrop(32, padding=4)} then {@code RandomHorizontalFlip(0.5)}. */
    public static SampleTransform cifarTrain() {
        return new RandomCrop(32, 4).andThen(new HorizontalFlip(0.5));
    }

    /** ImageNet training: {@code RandomResizedCrop(224)} then {@code RandomHorizontalFlip(0.5)}. */
    public static SampleTransform imagenetTrain() {
        return new RandomResizedCrop(224).andThen(new HorizontalFlip(0.5));
    }

    /** ImageNet evaluation: {@code Resize(256)} (shorter side) then {@code CenterCrop(224)}. */
    public static SampleTransform imagenetEval() {
        return new Resize(256).andThen(new CenterCrop(224));
    }
}
