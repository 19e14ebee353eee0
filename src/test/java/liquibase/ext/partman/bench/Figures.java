package liquibase.ext.partman.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** How the benchmarks print: Markdown rows, medians over repeated runs, latencies as p50/p99/max seconds. */
final class Figures {

    private Figures() {
    }

    static void row(List<String> cells) {
        System.out.println("| " + String.join(" | ", cells) + " |");
    }

    static String number(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    /** The medians of each run's p50, p99 and max, in seconds. */
    static <T> String latencies(List<T> runs, Function<T, Latencies> which) {
        return String.format(Locale.ROOT, "%.3f/%.3f/%.3f", median(runs, run -> which.apply(run).p50()),
                median(runs, run -> which.apply(run).p99()), median(runs, run -> which.apply(run).max()));
    }

    static <T> double median(List<T> runs, ToDoubleFunction<T> value) {
        double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
