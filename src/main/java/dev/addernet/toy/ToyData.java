package dev.addernet.toy;

/** Labelled 2-d points: {@code xy} holds x0, y0, x1, y1, ...; {@code labels} 0 or 1 per point. */
public record ToyData(float[] xy, float[] labels) {
    public ToyData {
        if (xy.length != 2 * labels.length) throw new IllegalArgumentException(xy.length + " coordinates for " + labels.length + " labels");
    }

    public int size() {
        return labels.length;
    }
}
