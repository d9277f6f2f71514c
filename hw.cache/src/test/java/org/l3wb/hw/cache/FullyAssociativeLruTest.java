package org.l3wb.hw.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shadow cache against a plain true-LRU reference (an access-ordered LinkedHashMap): every access
 * must report the same hit or miss, and the same lines must be held in the same recency order,
 * whatever the hints (right, stale or arbitrary), across writes that only refresh and across
 * clears. Long random runs also exercise the log's compaction many times over.
 */
class FullyAssociativeLruTest {
    /** The reference: true LRU of {@code capacity} lines. */
    private static final class Reference {
        final int capacity;
        final LinkedHashMap<Integer, Boolean> lines;

        Reference(int capacity) {
            this.capacity = capacity;
            lines = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                    return size() > Reference.this.capacity;
                }
            };
        }

        boolean access(int line) {
            boolean hit = lines.get(line) != null;
            if (!hit) {
                lines.put(line, Boolean.TRUE);
            }
            return hit;
        }

        void touchIfPresent(int line) {
            lines.get(line);
        }

        int[] byRecency() {
            return lines.keySet().stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 16, 512})
    void classifiesExactlyLikeTrueLru(int capacity) {
        Random random = new Random(capacity * 7919L);
        FullyAssociativeLru shadow = new FullyAssociativeLru(capacity, 1 << 20);
        Reference reference = new Reference(capacity);
        Map<Integer, Integer> hints = new java.util.HashMap<>(); // what a caller would remember per line
        int universe = capacity * 3 + 5;
        for (int step = 0; step < 200_000; step++) {
            // mostly a hot working set a little larger than the shadow, sometimes anything
            int line = random.nextInt(8) == 0 ? random.nextInt(1 << 20) : random.nextInt(universe);
            int kind = random.nextInt(100);
            int hint = switch (random.nextInt(3)) {
                case 0 -> hints.getOrDefault(line, 0);
                case 1 -> random.nextInt(capacity);
                default -> 0;
            };
            if (kind < 70) {
                int result = shadow.access(line, hint);
                assertEquals(reference.access(line), result >= 0, "access " + step + " of line " + line);
                hints.put(line, FullyAssociativeLru.slot(result));
            } else if (kind < 95) {
                int result = shadow.touchIfPresent(line, hint);
                assertEquals(reference.lines.containsKey(line), result >= 0, "write " + step);
                reference.touchIfPresent(line);
                hints.put(line, FullyAssociativeLru.slot(result));
            } else if (kind < 99) {
                assertEquals(reference.access(line), shadow.access(line), "unhinted access " + step);
            } else if (random.nextInt(50) == 0) {
                shadow.clear();
                reference.lines.clear();
            }
            if (step % 997 == 0) {
                assertArrayEquals(reference.byRecency(), shadow.linesByRecency(), "recency order at " + step);
            }
        }
        assertArrayEquals(reference.byRecency(), shadow.linesByRecency(), "recency order at the end");
    }
}
