package org.l3wb.hw.cache;

import java.util.Arrays;

/**
 * A tag-only, fully associative, true-LRU cache of the same number of lines as the real one. It
 * exists to classify the real cache's misses: a miss this shadow would have hit is a conflict miss,
 * one it also misses is a capacity miss (Hill's three C's). Allocation-free: slots in int arrays and
 * a direct index from every memory line to its slot (one load per look-up, 4 bytes per line of
 * memory).
 *
 * <p>The shadow is updated on every access of the real cache, hits included, so its hit path is
 * part of the simulator's innermost loop. The recency order is kept in one of two ways:
 * <ul>
 * <li>Until the shadow first has to evict (fewer distinct lines than it holds since it was last
 * empty, as in a warm short IPC), the order matters to nothing yet: each access only stamps its
 * slot with a clock ({@link #stamp}).</li>
 * <li>From the first eviction on, as an intrusive LRU list ({@link #prev}, {@link #next}), built
 * then from the stamps in their order: an access moves its slot to the front, the victim is the
 * tail.</li>
 * </ul>
 * A caller may pass a hint, the slot where it last saw a line; a correct hint saves the index
 * look-up.
 */
final class FullyAssociativeLru {
    private static final int EMPTY = -1;
    private final int capacity;
    private final int[] lineOf;
    /** Slot + 1 of each memory line, 0 when the line is not held. */
    private final int[] slotOfLine;
    private int size;
    /** Whether an eviction has happened since the last clear: recency is in the list, not the stamps. */
    private boolean listed;
    /** Until the first eviction, per slot, the clock at its latest access. */
    private final long[] stamp;
    private long clock;
    /** Scratch for {@link #startList}: stamps with slots, sorted. */
    private final long[] sortKeys;
    // the LRU list from the first eviction on: head most, tail least recently used
    private final int[] prev;
    private final int[] next;
    private int head = EMPTY;
    private int tail = EMPTY;

    FullyAssociativeLru(int capacity, int memoryLines) {
        this.capacity = capacity;
        lineOf = new int[capacity];
        slotOfLine = new int[memoryLines];
        stamp = new long[capacity];
        sortKeys = new long[capacity];
        prev = new int[capacity];
        next = new int[capacity];
    }

    private int find(int line) {
        return slotOfLine[line] - 1;
    }

    /** Makes {@code slot} the most recently used. */
    private void touch(int slot) {
        if (!listed) {
            stamp[slot] = ++clock;
        } else if (slot != head) {
            unlink(slot);
            pushFront(slot);
        }
    }

    private void unlink(int slot) {
        int p = prev[slot];
        int n = next[slot];
        if (p != EMPTY) {
            next[p] = n;
        } else {
            head = n;
        }
        if (n != EMPTY) {
            prev[n] = p;
        } else {
            tail = p;
        }
    }

    private void pushFront(int slot) {
        prev[slot] = EMPTY;
        next[slot] = head;
        if (head != EMPTY) {
            prev[head] = slot;
        }
        head = slot;
        if (tail == EMPTY) {
            tail = slot;
        }
    }

    /**
     * Before the first eviction since the last clear, a hit of the real cache on a line whose slot
     * it remembers: just the stamp. (The slot is right: slots are only reassigned by evictions, and a
     * clear empties the real cache too.)
     *
     * @return whether that was all; if not (the list keeps the order), use {@link #access(int, int)}
     */
    boolean stampUnlessListed(int slot) {
        if (listed) {
            return false;
        }
        stamp[slot] = ++clock;
        return true;
    }

    /** The first eviction since the last clear: the list takes over the order the stamps give. */
    private void startList() {
        // all capacity slots are live (nothing was evicted yet): order them by their stamps
        long[] keys = sortKeys;
        long oldest = Long.MAX_VALUE;
        for (int slot = 0; slot < size; slot++) {
            oldest = Math.min(oldest, stamp[slot]);
        }
        for (int slot = 0; slot < size; slot++) {
            keys[slot] = (stamp[slot] - oldest) * capacity + slot;
        }
        Arrays.sort(keys, 0, size);
        head = tail = EMPTY;
        for (int p = 0; p < size; p++) { // least recent first, each pushed in front of the older ones
            pushFront((int) (keys[p] % capacity));
        }
        listed = true;
    }

    /** Accesses {@code line}, allocating it on a miss: @return whether it was present. */
    boolean access(int line) {
        return access(line, 0) >= 0;
    }

    /**
     * Accesses {@code line}, allocating it on a miss. {@code hint} is where the caller last saw the
     * line (any value in {@code [0, capacity)}; it is checked, so a stale one costs only the index
     * look-up it would have saved): the real cache keeps one per line it holds.
     *
     * @return the line's slot if it was present, else {@code ~slot} of the slot it now occupies
     * (negative); either way {@link #slot(int)} of it is a hint for the next access
     */
    int access(int line, int hint) {
        if (hint < size && lineOf[hint] == line) {
            touch(hint);
            return hint;
        }
        int slot = find(line);
        if (slot != EMPTY) {
            touch(slot);
            return slot;
        }
        if (size < capacity) {
            slot = size++;
            lineOf[slot] = line;
            slotOfLine[line] = slot + 1;
            if (listed) {
                pushFront(slot);
            } else {
                stamp[slot] = ++clock;
            }
            return ~slot;
        }
        if (!listed) {
            startList();
        }
        slot = tail;
        slotOfLine[lineOf[slot]] = 0;
        unlink(slot);
        lineOf[slot] = line;
        slotOfLine[line] = slot + 1;
        pushFront(slot);
        return ~slot;
    }

    /** @return the slot an {@link #access(int, int)} or {@link #touchIfPresent(int, int)} result names */
    static int slot(int result) {
        return result ^ (result >> 31);
    }

    /** Refreshes {@code line} if present, allocating nothing (a write under no-write-allocate). */
    void touchIfPresent(int line) {
        touchIfPresent(line, 0);
    }

    /**
     * {@link #touchIfPresent(int)} with a checked {@code hint} as in {@link #access(int, int)}.
     *
     * @return the line's slot, or {@code ~hint} (negative) when it is not present
     */
    int touchIfPresent(int line, int hint) {
        if (hint < size && lineOf[hint] == line) {
            touch(hint);
            return hint;
        }
        int slot = find(line);
        if (slot == EMPTY) {
            return ~hint;
        }
        touch(slot);
        return slot;
    }

    /** @return whether {@code line} is present, changing nothing (for tests) */
    boolean contains(int line) {
        return find(line) != EMPTY;
    }

    /** @return the lines present, least recently used first (for tests) */
    int[] linesByRecency() {
        int[] lines = new int[size];
        if (!listed) {
            Integer[] slots = new Integer[size];
            for (int slot = 0; slot < size; slot++) {
                slots[slot] = slot;
            }
            Arrays.sort(slots, (a, b) -> Long.compare(stamp[a], stamp[b]));
            for (int n = 0; n < size; n++) {
                lines[n] = lineOf[slots[n]];
            }
            return lines;
        }
        int n = 0;
        for (int slot = tail; slot != EMPTY; slot = prev[slot]) {
            lines[n++] = lineOf[slot];
        }
        return lines;
    }

    /** @return whether the order is kept in the list (an eviction happened since the last clear; for tests) */
    boolean listed() {
        return listed;
    }

    void clear() {
        for (int slot = 0; slot < size; slot++) {
            slotOfLine[lineOf[slot]] = 0;
        }
        head = tail = EMPTY;
        size = 0;
        listed = false;
    }
}
