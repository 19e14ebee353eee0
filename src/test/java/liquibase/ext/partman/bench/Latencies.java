package liquibase.ext.partman.bench;

import java.util.List;

/** A client's latencies in seconds: p50, p99, the longest, and how many queries were measured. */
record Latencies(double p50, double p99, double max, int count) {

    static Latencies of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Latencies(0, 0, 0, 0);
        }
        return new Latencies(at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1], sorted.length);
    }

    private static double at(double[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
