package org.l3wb.lab.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The known gaps to the paper, each with its explanation: read from {@code known-gaps.txt} beside this
 * class, the one source of the report's scorecard (which explains each figure outside its target with
 * the gap whose pattern names it) and of README.md's "Known gaps" list ({@link #markdown()}; a test
 * fails when the README says something else).
 *
 * <pre>
 * KnownGap g = KnownGaps.load().explaining("table7/mach/8"); // "The Mach baseline is faster than Table 7's"
 * </pre>
 */
final class KnownGaps {
    /** One gap: the figures it explains (ids, {@code *} for one part), a title and why. */
    record KnownGap(List<String> figures, String title, String why) {
        boolean explains(String figure) {
            for (String f : figures) {
                if (glob(f).matcher(figure).matches()) {
                    return true;
                }
            }
            return false;
        }

        private static Pattern glob(String pattern) {
            return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                    .collect(Collectors.joining("[^/]*")));
        }
    }

    private static final String RESOURCE = "known-gaps.txt";
    private final List<KnownGap> gaps;

    private KnownGaps(List<KnownGap> gaps) {
        this.gaps = List.copyOf(gaps);
    }

    static KnownGaps load() {
        try (InputStream in = KnownGaps.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from lab");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KnownGaps parse(String text) {
        List<KnownGap> gaps = new ArrayList<>();
        List<String> figures = null;
        String title = null;
        StringBuilder why = new StringBuilder();
        for (String line : (text + "\n== end").split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("== ")) {
                if (figures != null) {
                    if (title == null || why.isEmpty()) {
                        throw new IllegalArgumentException(RESOURCE + ": gap " + figures + " needs a title and why");
                    }
                    gaps.add(new KnownGap(figures, title, why.toString().strip()));
                }
                figures = List.of(line.substring(3).strip().split("\\s*,\\s*"));
                title = null;
                why.setLength(0);
            } else if (line.isBlank()) {
                continue;
            } else if (figures == null) {
                throw new IllegalArgumentException(RESOURCE + ": text before the first '== FIGURES' line: " + line);
            } else if (title == null) {
                title = line.strip();
            } else {
                why.append(why.isEmpty() ? "" : " ").append(line.strip());
            }
        }
        return new KnownGaps(gaps);
    }

    List<KnownGap> all() {
        return gaps;
    }

    /** @return the first gap naming {@code figure}, or null: an unexplained figure */
    KnownGap explaining(String figure) {
        for (KnownGap g : gaps) {
            if (g.explains(figure)) {
                return g;
            }
        }
        return null;
    }

    /** @return the README's list: one bullet a gap, its title bold, then why (unwrapped) */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        for (KnownGap g : gaps) {
            sb.append("* **").append(g.title()).append("** (").append(String.join(", ", g.figures().stream()
                    .map(f -> "`" + f + "`").toList())).append("): ").append(g.why()).append('\n');
        }
        return sb.toString();
    }
}
