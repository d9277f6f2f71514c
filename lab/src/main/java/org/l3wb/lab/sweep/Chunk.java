package org.l3wb.lab.sweep;

import java.util.List;

/**
 * One job's share of a grid's points: chunk {@code index} of {@code count}, a contiguous run of the
 * points in grid order (chunk i holds points {@code ⌊i·P/count⌋ … ⌊(i+1)·P/count⌋ − 1}), so that the
 * chunks of a grid, joined in order, are its points in order.
 */
public record Chunk(int index, int count) {
    /** The whole grid. */
    public static final Chunk ALL = new Chunk(0, 1);

    public Chunk {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("--chunk must be I/N with 0 <= I < N, got " + index + "/" + count);
        }
    }

    /** @return the chunk {@code I/N} names (empty: the whole grid); fails with one line */
    public static Chunk parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        String[] p = text.strip().split("/", -1);
        try {
            if (p.length == 2) {
                return new Chunk(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--chunk must be I/N (e.g. 0/4), got '" + text + "'");
    }

    /** @return this chunk's points of {@code points} */
    public <T> List<T> of(List<T> points) {
        long p = points.size();
        return points.subList((int) (index * p / count), (int) ((index + 1) * p / count));
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
