package dev.addernet.analysis;

/**
 * The plane of a 3-d feature plot: the two leading eigenvectors of the features' second-moment matrix
 * (1/N) sum f f^T, not of their covariance, so the plane passes through the origin and rays from the
 * origin (a CNN's angular classes) stay rays. Eigenvectors by cyclic Jacobi rotations of the 3 x 3
 * symmetric matrix.
 */
public final class Projection {
    private Projection() {}

    /** Rows u, v (unit, orthogonal) of the plane for n points of dimension 3 stored row by row. */
    public static double[][] plane(float[] f, int n) {
        double[][] a = new double[3][3];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) a[r][c] += (double) f[3 * i + r] * f[3 * i + c] / n;
        }
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
            if (off < 1e-30 * (a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2]) + 1e-300) break;
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = 0.5 * Math.atan2(2 * a[p][q], a[q][q] - a[p][p]);
                    double c = Math.cos(theta), s = Math.sin(theta);
                    for (int k = 0; k < 3; k++) { // A <- A J (columns p, q)
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) { // A <- J^T A (rows p, q)
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++) { // V <- V J: the columns of V are the eigenvectors
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        int first = 0;
        for (int i = 1; i < 3; i++) if (a[i][i] > a[first][first]) first = i;
        int second = -1;
        for (int i = 0; i < 3; i++) if (i != first && (second < 0 || a[i][i] > a[second][second])) second = i;
        return new double[][] {{v[0][first], v[1][first], v[2][first]}, {v[0][second], v[1][second], v[2][second]}};
    }
}
